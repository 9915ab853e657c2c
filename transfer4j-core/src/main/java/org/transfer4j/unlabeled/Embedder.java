package org.transfer4j.unlabeled;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.transfer4j.data.ImageTree;
import org.transfer4j.Transfer;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.DatasetException;
import org.transfer4j.data.Sample;
import org.transfer4j.data.SkippedFile;
import org.transfer4j.exec.Calibration;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.train.CalibrationStore;
import org.transfer4j.train.FeatureCache;
import org.transfer4j.train.FeatureExtractor;
import org.transfer4j.weights.Backbone;

/**
 * Computes {@link Embeddings} of the images under a folder with a frozen backbone, through the feature
 * cache that training uses (same folder, same key: {@link Transfer#cacheKey}), so that an image already
 * seen by {@code train}, {@code rank} or an earlier {@code embed} costs no backbone pass.
 *
 * <pre>{@code
 * Embeddings e = new Embedder(BackboneLoader.load("mobilenet_v2", null, WeightStore.fromEnvironment(null)),
 *         WeightStore.home().resolve("features"), BatchLoader.Options.defaults(), System.err).embed(folder);
 * }</pre>
 */
public final class Embedder {

    private final Backbone backbone;
    private final Path cacheRoot;
    private final BatchLoader.Options loading;
    private final PrintStream log;
    private final ContentHashes hashes = new ContentHashes();
    private Calibration.Settings int8;
    private org.transfer4j.exec.Device device = org.transfer4j.exec.Device.cpu();

    /**
     * @param backbone the loaded backbone
     * @param cacheRoot the feature cache root (training's default is {@code $TRANSFER4J_HOME/features})
     * @param loading decoding threads, batch size, pixel limit, progress bar
     * @param log where notes go (skipped files, cache hits)
     */
    public Embedder(Backbone backbone, Path cacheRoot, BatchLoader.Options loading, PrintStream log) {
        this.backbone = Objects.requireNonNull(backbone, "backbone");
        this.cacheRoot = Objects.requireNonNull(cacheRoot, "cacheRoot");
        this.loading = Objects.requireNonNull(loading, "loading");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Runs the backbone in int8 (default fp32), calibrated on a seeded sample of the images being
     * embedded; their features are cached apart from float ones ({@link Transfer#cacheKey(Backbone,
     * Calibration)}).
     *
     * @param calibration how to calibrate; null for fp32
     * @return this embedder
     */
    public Embedder int8(Calibration.Settings calibration) {
        this.int8 = calibration;
        return this;
    }

    /**
     * Runs the backbone on a device (default the CPU).
     *
     * @param resolved {@code cpu} or {@code cuda:N} ({@link org.transfer4j.exec.Device#resolve})
     */
    public Embedder device(org.transfer4j.exec.Device resolved) {
        this.device = Objects.requireNonNull(resolved, "device");
        return this;
    }

    /** The backbone. */
    public Backbone backbone() {
        return backbone;
    }

    /**
     * Embeds every image under the folder, at any depth, labelled or not.
     *
     * @throws DatasetException when the folder is missing, or holds no image that can be read
     */
    public Embeddings embed(Path folder) {
        return embed(ImageTree.scan(folder));
    }

    /**
     * Embeds the images of a listed folder (list it first to report a bad folder before loading weights).
     *
     * @throws DatasetException when no image of it can be read
     */
    public Embeddings embed(ImageTree tree) {
        Path folder = tree.root();
        Embeddings e = embed(tree.root(), tree.images(), tree.skipped());
        if (e.count() == 0) {
            throw new DatasetException("'" + folder + "' holds no readable image: all " + e.skipped().size()
                    + " files were skipped, e.g. " + e.skipped().get(0));
        }
        return e;
    }

    /**
     * The embeddings of a listed folder, reusing the rows of {@code previous} (made with the same weights)
     * for every file whose content hash it holds: only new content goes to the cache and the backbone.
     * Rows of files no longer in the folder are dropped.
     *
     * @throws DatasetException when {@code previous} was made with other weights, or no image can be read
     */
    public Embeddings update(ImageTree tree, Embeddings previous) {
        if (!previous.weightsSha256().equals(backbone.sha256())) {
            throw new DatasetException("the index was made with " + previous.backbone() + " (weights "
                    + previous.weightsSha256().substring(0, 12) + "), not " + backbone.set().id() + " (weights "
                    + backbone.sha256().substring(0, 12) + "); give --backbone " + previous.backbone().split(":")[0]
                    + " or write a new index");
        }
        Map<String, float[]> known = new HashMap<>();
        for (int i = 0; i < previous.count(); i++) {
            known.put(previous.items().get(i).contentHash(), previous.vectors()[i]);
        }
        hashes.prefetch(tree.images().stream().map(f -> new Sample(f, 0)).toList());
        List<Path> fresh = new ArrayList<>();
        for (Path f : tree.images()) {
            if (!known.containsKey(hashOrEmpty(f))) {
                fresh.add(f);
            }
        }
        log.printf("%d images, %d already in the index, %d new%n", tree.images().size(), tree.images().size()
                - fresh.size(), fresh.size());
        Embeddings added = embed(tree.root(), fresh, tree.skipped());
        for (int i = 0; i < added.count(); i++) {
            known.put(added.items().get(i).contentHash(), added.vectors()[i]);
        }
        List<Embeddings.Item> items = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (Path f : tree.images()) {
            float[] row = known.get(hashOrEmpty(f));
            if (row != null) {
                items.add(Embeddings.Item.of(ImageTree.relative(tree.root(), f), hashOrEmpty(f)));
                rows.add(row);
            }
        }
        if (items.isEmpty()) {
            throw new DatasetException("'" + tree.root() + "' holds no readable image");
        }
        return new Embeddings(tree.root(), items, rows.toArray(float[][]::new), backbone.set().id(), backbone.sha256(),
                backbone.set().preprocessing().toString(), added.skipped());
    }

    /**
     * Embeds the given image files; each row's path is relative to {@code root} (the file name for a
     * file outside it). Unreadable files are left out and listed in {@link Embeddings#skipped()}.
     */
    public Embeddings embed(Path root, List<Path> files) {
        return embed(root.toAbsolutePath().normalize(), files, List.of());
    }

    private Embeddings embed(Path root, List<Path> files, List<SkippedFile> alreadySkipped) {
        List<Sample> samples = files.stream().map(f -> new Sample(f.toAbsolutePath().normalize(), 0)).toList();
        Calibration calibration = int8 == null || samples.isEmpty() ? null
                : new CalibrationStore(cacheRoot.resolve(Transfer.cacheKey(backbone)), hashes, loading, loading.threads(),
                        log).calibrate(backbone, samples, int8);
        FeatureCache cache = new FeatureCache(cacheRoot, Transfer.cacheKey(backbone, calibration), backbone.featureWidth());
        FeatureExtractor.Result r;
        try (OrtRunner ort = OrtRunner.lazy(() -> Transfer.backboneModel(backbone, List.of(Graph.Outputs.FEATURES),
                calibration), loading.threads(), device)) {
            r = new FeatureExtractor(ort, backbone.set().preprocessing(), cache, hashes, loading).extract(samples);
        }
        log.printf("%d images: %d features from the cache, %d computed by %s%n", samples.size(), r.fromCache(),
                r.computed(), backbone.set().id());
        List<SkippedFile> skipped = new ArrayList<>(alreadySkipped);
        skipped.addAll(r.skipped());
        for (SkippedFile s : r.skipped()) {
            log.printf("skipped %s: %s%n", s.file(), s.reason());
        }
        List<Embeddings.Item> items = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (r.rows()[i] != null) {
                Path file = samples.get(i).file();
                String path = file.startsWith(root) ? ImageTree.relative(root, file) : file.getFileName().toString();
                items.add(Embeddings.Item.of(path, hash(file)));
                rows.add(r.rows()[i]);
            }
        }
        return new Embeddings(root, items, rows.toArray(float[][]::new), backbone.set().id(), backbone.sha256(),
                backbone.set().preprocessing().toString(), skipped);
    }

    private String hashOrEmpty(Path file) {
        try {
            return hashes.hash(file);
        } catch (IOException e) {
            return "";
        }
    }

    private String hash(Path file) {
        try {
            return hashes.hash(file); // known: the extractor hashed it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
