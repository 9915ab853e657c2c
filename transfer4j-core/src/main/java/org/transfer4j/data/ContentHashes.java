package org.transfer4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content hashes of image files, the key of every per-image cache (features, activations at a cut,
 * augmented views) and of duplicate detection. One instance serves one run: each file is read and
 * hashed once, however many steps ask for it. Thread-safe.
 */
public final class ContentHashes {

    private final Map<Path, String> known = new ConcurrentHashMap<>();

    /** SHA-256 of the bytes, first 128 bits, hex. */
    public static String of(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The hash of a file's content, read on the first request for it.
     *
     * @throws IOException when the file cannot be read
     */
    public String hash(Path file) throws IOException {
        String h = known.get(file);
        if (h == null) {
            h = of(Files.readAllBytes(file));
            known.put(file, h);
        }
        return h;
    }

    /**
     * A short key (16 hex digits of SHA-256) for a sample of images and the settings that drew or use them:
     * the settings' text, then each image's content hash, in order.
     *
     * @throws IOException when an image cannot be read
     */
    public String sampleKey(String settings, List<Sample> sample) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(settings.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Sample s : sample) {
                d.update(hash(s.file()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records a file's hash computed elsewhere (e.g. by the Spark job that extracted its features), so
     * that {@link #hash} answers without reading the file.
     */
    public void remember(Path file, String hash) {
        known.put(file, hash);
    }

    /**
     * Hashes the samples' files on all cores, ahead of the {@link #hash} calls that follow. A file that
     * cannot be read is left for {@link #hash} to report.
     */
    public void prefetch(List<Sample> samples) {
        samples.parallelStream().forEach(s -> {
            try {
                hash(s.file());
            } catch (IOException e) {
                // reported by the caller's own hash(file)
            }
        });
    }
}
