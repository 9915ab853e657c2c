package org.transfer4j.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.Batch;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.Sample;
import org.transfer4j.exec.Calibration;
import org.transfer4j.exec.Calibrator;
import org.transfer4j.report.ReportWriter;
import org.transfer4j.weights.Backbone;

/**
 * Calibrates a backbone for int8 on a seeded sample of the training images, once: the result is stored
 * in a folder (beside the feature cache) under a key made of the settings and the sampled images'
 * content, so a second run with the same images and settings reads it instead of measuring again, and
 * its int8 features, cached under the calibration's {@link Calibration#id()}, stay valid.
 */
public final class CalibrationStore {

    private final Path dir;
    private final ContentHashes hashes;
    private final BatchLoader.Options loading;
    private final int threads;
    private final PrintStream log;

    /**
     * @param dir where calibrations are kept
     * @param hashes the run's content hashes
     * @param loading decoding threads and limits for the calibration images
     * @param threads ONNX Runtime threads
     */
    public CalibrationStore(Path dir, ContentHashes hashes, BatchLoader.Options loading, int threads, PrintStream log) {
        this.dir = dir;
        this.hashes = hashes;
        this.loading = loading.withProgress(false);
        this.threads = threads;
        this.log = log;
    }

    /** The seeded sample of {@code settings.images()} images (all of them when there are fewer). */
    public static List<Sample> sample(List<Sample> train, Calibration.Settings settings) {
        return Sample.seeded(train, settings.images(), settings.seed());
    }

    /**
     * The calibration of {@code net} on a sample of {@code train}: read from the store, or measured and
     * stored.
     *
     * @throws IllegalArgumentException when there is no training image to calibrate on
     */
    public Calibration calibrate(Backbone net, List<Sample> train, Calibration.Settings settings) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("--precision int8 calibrates on training images, but there are none");
        }
        List<Sample> sample = sample(train, settings);
        Path file = dir.resolve("calibration-" + key(sample, settings) + ".json");
        if (Files.isRegularFile(file)) {
            try {
                return Calibration.fromJson(Files.readAllBytes(file));
            } catch (IOException | IllegalArgumentException e) {
                log.printf("calibration %s unreadable (%s): measuring again%n", file, e.getMessage());
            }
        }
        long start = System.nanoTime();
        Calibration result;
        try (Calibrator calibrator = new Calibrator(net.graph(), net.weights(), List.of(Graph.Outputs.FEATURES),
                settings, threads);
             BatchLoader loader = new BatchLoader(sample, net.set().preprocessing(), loading.withBatchSize(4))) {
            int crop = net.set().preprocessing().crop();
            while (loader.hasNext()) {
                Batch batch = loader.next();
                if (batch.size() > 0) {
                    calibrator.observe(batch.pixels(), new long[] {batch.size(), 3, crop, crop});
                    loader.recycle(batch);
                }
            }
            result = calibrator.result();
        }
        ReportWriter.save(dir, Map.of(file.getFileName().toString(), result.toJson()));
        log.printf("int8 calibration: %s in %.1fs%n", result, (System.nanoTime() - start) / 1e9);
        return result;
    }

    private String key(List<Sample> sample, Calibration.Settings settings) {
        try {
            return hashes.sampleKey(settings.method() + "|" + settings.images() + "|" + settings.seed() + "|calibration-2", sample);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a calibration image: " + e.getMessage(), e);
        }
    }
}
