package org.transfer4j.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the file of a weight set. Order: an explicit file; a weights folder ({@code --weights-dir} or
 * {@code TRANSFER4J_WEIGHTS}), searched by official file name and verified by hash; the user cache
 * ({@code TRANSFER4J_HOME}/weights, default {@code ~/.cache/transfer4j/weights}); the embedded
 * default backbone when its artifact ({@code transfer4j-mobilenet-v2}) is on the class path, copied
 * into that cache on first use; an HTTPS download into that cache, verified and renamed into place.
 * Offline, the error says which file to put where.
 */
public final class WeightStore {

    /** Where a weight set stands on this machine. */
    public enum Status { LOCAL, CACHED, EMBEDDED, DOWNLOADABLE, MISSING }

    /** Where the embedded weight files lie on the class path. */
    static final String EMBEDDED_FOLDER = "org/transfer4j/embedded/";

    /**
     * A weight set and the verified file that holds it.
     *
     * @param set the weight set
     * @param file where its file is
     */
    public record Resolved(WeightSet set, Path file) {
    }

    private final Path weightsDir;
    private final Path cacheDir;
    private final boolean offline;

    /**
     * @param weightsDir folder to search by file name, or null
     * @param home transfer4j's home folder (the cache lives in {@code home/weights})
     * @param offline never download
     */
    public WeightStore(Path weightsDir, Path home, boolean offline) {
        this.weightsDir = weightsDir;
        this.cacheDir = home.resolve("weights");
        this.offline = offline;
    }

    /**
     * A store configured from {@code TRANSFER4J_WEIGHTS}, {@code TRANSFER4J_HOME} and
     * {@code TRANSFER4J_OFFLINE} (or the system property {@code transfer4j.offline}, which the tests set).
     */
    public static WeightStore fromEnvironment(Path weightsDirOverride) {
        Path dir = weightsDirOverride;
        if (dir == null && System.getenv("TRANSFER4J_WEIGHTS") != null) {
            dir = Path.of(System.getenv("TRANSFER4J_WEIGHTS"));
        }
        boolean offline = "1".equals(System.getenv("TRANSFER4J_OFFLINE"))
                || "true".equalsIgnoreCase(System.getenv("TRANSFER4J_OFFLINE"))
                || Boolean.getBoolean("transfer4j.offline");
        return new WeightStore(dir, home(), offline);
    }

    /** {@code TRANSFER4J_HOME}, or {@code ~/.cache/transfer4j}. */
    public static Path home() {
        String env = System.getenv("TRANSFER4J_HOME");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "transfer4j");
    }

    /**
     * The weight set a plain {@code --backbone NAME} uses: the most accurate set (by published ImageNet
     * top-1, {@link WeightRegistry#byAccuracy}) whose file is local or cached, verified; when none is, the
     * embedded one (its artifact on the class path), else the backbone's first set in table order,
     * downloaded now.
     *
     * @throws WeightsException saying which file is needed and where to put it
     */
    public Resolved resolve(String backbone) {
        for (WeightSet set : WeightRegistry.byAccuracy(backbone)) {
            Optional<Path> found = findLocal(set).or(() -> findCached(set));
            if (found.isPresent()) {
                return new Resolved(set, found.get());
            }
        }
        WeightSet first = WeightRegistry.setsOf(backbone).get(0);
        for (WeightSet set : WeightRegistry.setsOf(backbone)) {
            if (isEmbedded(set)) {
                return new Resolved(set, copyEmbedded(set));
            }
        }
        if (!offline) {
            return new Resolved(first, download(first));
        }
        throw new WeightsException("no weights for " + backbone + " on this machine (offline): put "
                + first.fileName() + " (from " + first.url() + ") in "
                + (weightsDir != null ? weightsDir : cacheDir)
                + ", or point --weights-dir / TRANSFER4J_WEIGHTS at a folder that holds it");
    }

    /**
     * The weight set {@link #resolve} would use, without reading, verifying or downloading anything:
     * empty when it would fail (offline, no file here).
     */
    public Optional<WeightSet> choice(String backbone) {
        for (WeightSet set : WeightRegistry.byAccuracy(backbone)) {
            Status status = status(set);
            if (status == Status.LOCAL || status == Status.CACHED) {
                return Optional.of(set);
            }
        }
        for (WeightSet set : WeightRegistry.setsOf(backbone)) {
            if (isEmbedded(set)) {
                return Optional.of(set);
            }
        }
        return offline ? Optional.empty() : Optional.of(WeightRegistry.setsOf(backbone).get(0));
    }

    /** Where a weight set stands, without downloading. */
    public Status status(WeightSet set) {
        if (findByName(weightsDir, set.fileName()).isPresent()) {
            return Status.LOCAL;
        }
        if (Files.isRegularFile(cacheDir.resolve(set.fileName()))) {
            return Status.CACHED;
        }
        if (isEmbedded(set)) {
            return Status.EMBEDDED;
        }
        return offline ? Status.MISSING : Status.DOWNLOADABLE;
    }

    private Optional<Path> findLocal(WeightSet set) {
        Optional<Path> p = findByName(weightsDir, set.fileName());
        p.ifPresent(file -> verify(file, set));
        return p;
    }

    private Optional<Path> findCached(WeightSet set) {
        Path p = cacheDir.resolve(set.fileName());
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        verify(p, set);
        return Optional.of(p);
    }

    /** Whether the weight set's file ships on the class path (the embedded default backbone). */
    public static boolean isEmbedded(WeightSet set) {
        return WeightStore.class.getClassLoader().getResource(EMBEDDED_FOLDER + set.fileName()) != null;
    }

    /** The embedded file, copied into the cache once (verified, then renamed into place). */
    private Path copyEmbedded(WeightSet set) {
        try (InputStream in = WeightStore.class.getClassLoader().getResourceAsStream(EMBEDDED_FOLDER + set.fileName())) {
            return intoCache(set, tmp -> Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING));
        } catch (IOException e) {
            throw new WeightsException("cannot copy the embedded " + set.fileName() + " into " + cacheDir
                    + " (" + reason(e) + ")", e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e); // a copy from the class path is never interrupted
        }
    }

    /** Writes a weight set's file into the cache: filled as a temporary file, verified, renamed into place. */
    private Path intoCache(WeightSet set, TempFiller fill) throws IOException, InterruptedException {
        Files.createDirectories(cacheDir);
        Path target = cacheDir.resolve(set.fileName());
        Path tmp = Files.createTempFile(cacheDir, set.fileName(), ".part");
        try {
            fill.fill(tmp);
            verify(tmp, set);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Fills the temporary file {@link #intoCache} hands it. */
    private interface TempFiller {
        void fill(Path tmp) throws IOException, InterruptedException;
    }

    private static Optional<Path> findByName(Path dir, String fileName) {
        if (dir == null || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(dir, 4,
                (p, attrs) -> attrs.isRegularFile() && p.getFileName().toString().equals(fileName))) {
            return files.sorted().findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search " + dir, e);
        }
    }

    /**
     * Checks a file against the set's SHA-256 (or torchvision's hash prefix).
     *
     * @throws WeightsException on a mismatch, naming both hashes and the fix
     */
    public static void verify(Path file, WeightSet set) {
        String actual = sha256(file);
        if (!actual.startsWith(set.sha256())) {
            throw new WeightsException(file + ": SHA-256 " + actual.substring(0, 16) + "... does not match "
                    + set.id() + " (expected " + set.sha256() + "...); the file is corrupt or another version: "
                    + "delete it and fetch " + set.url());
        }
    }

    /** SHA-256 of a file as lower-case hex. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path download(WeightSet set) {
        try {
            return intoCache(set, tmp -> {
                HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                        .connectTimeout(Duration.ofSeconds(20)).build();
                HttpResponse<InputStream> response = client.send(
                        HttpRequest.newBuilder(URI.create(set.url())).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                long total = response.headers().firstValueAsLong("content-length").orElse(-1);
                copyWithProgress(response.body(), tmp, total, set.fileName());
            });
        } catch (IOException e) {
            throw new WeightsException("cannot download " + set.url() + " (" + reason(e) + "): put "
                    + set.fileName() + " in " + cacheDir + " or in a folder named by --weights-dir / TRANSFER4J_WEIGHTS", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeightsException("download of " + set.url() + " interrupted", e);
        }
    }

    /** Why a download failed, in words: never "null" (a refused connection has no message). */
    static String reason(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "no connection to the server: is this machine offline?";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host " + e.getMessage() + ": is this machine offline?";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "the server did not answer in time";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static void copyWithProgress(InputStream in, Path tmp, long total, String name) throws IOException {
        try (in; OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buffer = new byte[1 << 16];
            long done = 0;
            long lastReport = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                done += n;
                if (done - lastReport > (4 << 20)) {
                    lastReport = done;
                    System.err.printf("\rdownloading %s: %d MB%s", name, done >> 20,
                            total > 0 ? " of " + (total >> 20) + " MB" : "");
                }
            }
            System.err.println();
        }
    }
}
