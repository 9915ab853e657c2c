package org.transfer4j.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transfer4j.data.Batch;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.Sample;
import org.transfer4j.exec.BatchNormAdaptation;
import org.transfer4j.report.ReportWriter;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.SafetensorsReader;
import org.transfer4j.weights.SafetensorsWriter;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * Re-estimates a backbone's batch-norm statistics on a seeded sample of the target images
 * ({@link BatchNormAdaptation}, AdaBN), once: the statistics are stored in a folder beside the feature
 * cache under a key made of the settings and the sampled images' content, so a second run with the same
 * images reads them instead of measuring again. The adapted backbone's features are cached apart from
 * the file's weights' (its {@link Backbone.Adaptation#statistics()} hash is part of the cache key).
 */
public final class AdaptationStore {

    /** At most this many images are sampled: the statistics of 32 batches of 32 are stable to about 1 %. */
    public static final int DEFAULT_IMAGES = 1024;
    /** Images per batch: each batch is normalised by its own statistics, as in training. */
    public static final int DEFAULT_BATCH = 32;

    private final Path dir;
    private final ContentHashes hashes;
    private final BatchLoader.Options loading;
    private final PrintStream log;

    /**
     * @param dir where adapted statistics are kept
     * @param hashes the run's content hashes
     * @param loading decoding threads and limits (the backbone's own preprocessing is used)
     */
    public AdaptationStore(Path dir, ContentHashes hashes, BatchLoader.Options loading, PrintStream log) {
        this.dir = dir;
        this.hashes = hashes;
        this.loading = loading.withProgress(false);
        this.log = log;
    }

    /**
     * The backbone with its batch-norm statistics re-estimated on a seeded sample of at most
     * {@value #DEFAULT_IMAGES} of {@code images}: read from the store, or measured and stored.
     *
     * @param images the target images: labelled training (and validation) images and unlabeled ones,
     *     never the test split
     * @throws IllegalArgumentException when the backbone has no batch-norm statistics, or there is no image
     */
    public Backbone adapt(Backbone net, List<Sample> images, long seed) {
        BatchNormAdaptation.checkApplicable(net.graph(), net.weights(), net.set().id() + " ("
                + net.file().getFileName() + ")");
        if (images.isEmpty()) {
            throw new IllegalArgumentException("--adapt-bn re-estimates batch-norm statistics on the training images, "
                    + "but there are none");
        }
        List<Sample> sample = Sample.seeded(images, DEFAULT_IMAGES, seed);
        int batchSize = BatchNormAdaptation.batchSize(sample.size(), DEFAULT_BATCH);
        Path file = dir.resolve("adabn-" + key(sample, batchSize, seed) + ".safetensors");
        Map<String, Tensor> statistics = null;
        if (Files.isRegularFile(file)) {
            try {
                statistics = SafetensorsReader.read(file).asMap();
            } catch (RuntimeException e) {
                log.printf("adapted batch-norm statistics %s unreadable (%s): measuring again%n", file, e.getMessage());
            }
        }
        if (statistics == null) {
            statistics = measure(net, sample, batchSize);
            ReportWriter.save(dir, Map.of(file.getFileName().toString(), safetensors(statistics)));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>(net.weights().asMap());
        tensors.putAll(statistics);
        return net.withAdaptedBatchNorm(new Weights(tensors).withFileQuantizationOf(net.weights()),
                new Backbone.Adaptation(sample.size(), batchSize, seed, fingerprint(statistics)));
    }

    private Map<String, Tensor> measure(Backbone net, List<Sample> sample, int batchSize) {
        long start = System.nanoTime();
        Weights adapted;
        try (BatchNormAdaptation adaptation = new BatchNormAdaptation(net.graph(), net.weights());
             BatchLoader loader = new BatchLoader(sample, net.set().preprocessing(), loading.withBatchSize(batchSize))) {
            int crop = net.set().preprocessing().crop();
            while (loader.hasNext()) {
                Batch batch = loader.next();
                if (batch.size() > 1) {
                    adaptation.observe(batch.pixels(), new long[] {batch.size(), 3, crop, crop});
                }
            }
            if (adaptation.batches() == 0) {
                throw new IllegalArgumentException("--adapt-bn: fewer than 2 of the " + sample.size()
                        + " sampled images could be read; batch statistics need at least 2");
            }
            adapted = adaptation.result();
        }
        Map<String, Tensor> statistics = new LinkedHashMap<>();
        adapted.asMap().forEach((name, t) -> {
            if (name.endsWith(".running_mean") || name.endsWith(".running_var")) {
                statistics.put(name, t);
            }
        });
        log.printf("adapt-bn: batch-norm statistics of %d layers re-estimated on %d images in batches of %d in %.1fs%n",
                statistics.size() / 2, sample.size(), batchSize, (System.nanoTime() - start) / 1e9);
        return statistics;
    }

    private String key(List<Sample> sample, int batchSize, long seed) {
        try {
            return hashes.sampleKey(sample.size() + "|" + batchSize + "|" + seed + "|adabn-1", sample);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read an image for --adapt-bn: " + e.getMessage(), e);
        }
    }

    /** Hex SHA-256 over the statistics' names and values. */
    static String fingerprint(Map<String, Tensor> statistics) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Tensor> e : new java.util.TreeMap<>(statistics).entrySet()) {
                d.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                ByteBuffer values = ByteBuffer.allocate(4 * e.getValue().data().length);
                values.asFloatBuffer().put(e.getValue().data());
                d.update(values);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] safetensors(Map<String, Tensor> tensors) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SafetensorsWriter.write(tensors, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
