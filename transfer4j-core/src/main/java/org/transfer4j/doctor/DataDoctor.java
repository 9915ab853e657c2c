package org.transfer4j.doctor;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.data.Sample;
import org.transfer4j.data.SkippedFile;
import org.transfer4j.doctor.InspectReport.Duplicate;
import org.transfer4j.doctor.InspectReport.Unreadable;

/**
 * Checks an image dataset before it is trained on: counts, sizes, formats, colour oddities,
 * unreadable files, exact and near duplicates within and across the split (leakage), imbalance.
 *
 * <pre>{@code
 * InspectReport report = DataDoctor.inspect(Path.of("cats_dogs"), DoctorOptions.defaults());
 * System.out.print(ReportText.of(report));
 * if (report.hasProblems()) { ... }
 * }</pre>
 *
 * <p>{@link #quickCheck} is the cheap subset that {@code train} runs on every dataset: counts,
 * imbalance and exact copies across the split, from the files' bytes without decoding them.
 */
public final class DataDoctor {

    private static final int MAX_LISTED = 10;
    /**
     * Near duplicates are not searched among images with a shorter side under this: at 28×28 a
     * re-encoded copy and a look-alike (two trousers in Fashion-MNIST) differ by as many hash bits.
     */
    static final int NEAR_MIN_SIDE = 64;

    private DataDoctor() {
    }

    /**
     * Inspects a dataset folder: decodes every image with the decoder training uses.
     *
     * @throws org.transfer4j.data.DatasetException when the folder cannot serve as a dataset at all
     */
    public static InspectReport inspect(Path root, DoctorOptions options) {
        ImageFolder folder = ImageFolder.scan(root, options.valFraction(), options.seed());
        List<ImageFacts> facts = probeAll(folder, new ImageProbe(options.maxPixels()), options.threads());
        List<Unreadable> unreadable = new ArrayList<>();
        for (SkippedFile s : folder.skipped()) {
            unreadable.add(new Unreadable(relative(folder, s.file()), s.reason()));
        }
        facts.stream().filter(f -> !f.readable()).forEach(f -> unreadable.add(new Unreadable(f.path(), f.problem())));
        List<ImageFacts> readable = facts.stream().filter(ImageFacts::readable).toList();
        List<Duplicate> duplicates = duplicates(readable, new DuplicateFinder(options.nearDistance()), true);

        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        int[][] perClass = new int[2][folder.classCount()];
        for (ImageFacts f : readable) {
            int split = f.split().equals("train") ? 0 : 1;
            perClass[split][folder.classNames().indexOf(f.className())]++;
        }
        for (int s = 0; s < 2; s++) {
            Map<String, Integer> m = new LinkedHashMap<>();
            for (int c = 0; c < folder.classCount(); c++) {
                m.put(folder.classNames().get(c), perClass[s][c]);
            }
            counts.put(s == 0 ? "train" : "test", m);
        }
        FindingRules rules = new FindingRules(options);
        rules.unreadable(unreadable);
        rules.classCounts(folder.classNames(), perClass[0], perClass[1], !folder.test().isEmpty());
        rules.duplicates(duplicates);
        rules.oddities(readable, hiddenEntries(folder.root()));
        Map<String, Integer> formats = new TreeMap<>();
        readable.forEach(f -> formats.merge(f.format(), 1, Integer::sum));
        return new InspectReport(folder.root().toString(), folder.description(), folder.classNames(), counts,
                InspectReport.Stats.of(readable.stream().mapToInt(ImageFacts::width).toArray()),
                InspectReport.Stats.of(readable.stream().mapToInt(ImageFacts::height).toArray()), formats,
                kinds(rules.findings()), FindingRules.imbalance(perClass[0]), unreadable, duplicates, rules.findings());
    }

    /**
     * The cheap checks {@code train} runs: per-class counts, imbalance and byte-identical copies
     * across the split (files are hashed, not decoded). Unreadable files are left to the caller,
     * which reports them as it skips them.
     */
    public static List<Finding> quickCheck(ImageFolder folder, DoctorOptions options, ContentHashes hashes) {
        hashes.prefetch(folder.train());
        hashes.prefetch(folder.test());
        List<ImageFacts> facts = new ArrayList<>();
        for (String split : List.of("train", "test")) {
            for (Sample s : split.equals("train") ? folder.train() : folder.test()) {
                String sha;
                try {
                    sha = hashes.hash(s.file());
                } catch (IOException e) {
                    sha = null;
                }
                facts.add(new ImageFacts(relative(folder, s.file()), split, folder.classNames().get(s.classIndex()), 0,
                        "", false, 0, 0, "", false, 0, 1, 1, sha, null, null));
            }
        }
        FindingRules rules = new FindingRules(options);
        rules.classCounts(folder.classNames(), folder.trainCounts(), folder.testCounts(), !folder.test().isEmpty());
        rules.duplicates(duplicates(facts, null, false));
        return rules.findings().stream().filter(f -> f.severity() != Finding.Severity.NOTE).toList();
    }

    /** Prints findings as a short block ("data check: ..."), at most ten files each; nothing when there are none. */
    public static void printWarnings(PrintStream log, List<Finding> findings) {
        if (findings.isEmpty()) {
            return;
        }
        log.println("data check: " + findings.size() + " warning(s); run `transfer4j inspect DATA` for the full report");
        for (Finding f : findings) {
            log.println("  " + f.severity().name().toLowerCase(java.util.Locale.ROOT) + ": " + f.message());
            f.files().stream().limit(MAX_LISTED).forEach(p -> log.println("    " + p));
            if (f.files().size() > MAX_LISTED) {
                log.println("    ... and " + (f.files().size() - MAX_LISTED) + " more");
            }
            log.println("    fix: " + f.suggestion());
        }
    }

    private static List<ImageFacts> probeAll(ImageFolder folder, ImageProbe probe, int threads) {
        List<Future<ImageFacts>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (String split : List.of("train", "test")) {
                for (Sample s : split.equals("train") ? folder.train() : folder.test()) {
                    String cls = folder.classNames().get(s.classIndex());
                    futures.add(pool.submit(() -> probe.probe(s.file(), relative(folder, s.file()), split, cls)));
                }
            }
            List<ImageFacts> facts = new ArrayList<>(futures.size());
            for (Future<ImageFacts> f : futures) {
                facts.add(f.get());
            }
            return facts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while inspecting " + folder.root(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("inspecting " + folder.root() + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Duplicate> duplicates(List<ImageFacts> facts, DuplicateFinder near, boolean withNear) {
        List<String> shas = facts.stream().map(ImageFacts::sha).toList();
        List<DuplicateFinder.Pair> pairs = new ArrayList<>(DuplicateFinder.exact(shas));
        if (withNear) {
            pairs.addAll(near.near(facts.stream().map(f -> f.shorterSide() >= NEAR_MIN_SIDE ? f.hash() : null).toList(),
                    shas));
        }
        List<Duplicate> out = new ArrayList<>();
        for (DuplicateFinder.Pair p : pairs) {
            ImageFacts a = facts.get(p.first());
            ImageFacts b = facts.get(p.second());
            out.add(new Duplicate(a.path(), b.path(), p.distance(), p.exact(), !a.split().equals(b.split()),
                    !a.className().equals(b.className())));
        }
        return out;
    }

    private static Map<String, Integer> kinds(List<Finding> findings) {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Finding f : findings) {
            if (List.of("tiny", "flat", "placeholder", "format-outlier", "animated", "cmyk", "16-bit", "grey", "alpha", "exif-rotated", "misnamed")
                    .contains(f.code())) {
                kinds.put(f.code(), f.files().size());
            }
        }
        return kinds;
    }

    /** Hidden files and folders (names starting with '.') anywhere under the root, relative, not followed. */
    private static List<String> hiddenEntries(Path root) {
        List<String> hidden = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
                        hidden.add(slashes(root.relativize(dir)) + "/");
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (file.getFileName().toString().startsWith(".")) {
                        hidden.add(slashes(root.relativize(file)));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return hidden;
    }

    private static String relative(ImageFolder folder, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(folder.root()) ? slashes(folder.root().relativize(abs)) : file.toString();
    }

    private static String slashes(Path p) {
        return p.toString().replace(java.io.File.separatorChar, '/');
    }
}
