package org.transfer4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.Batch;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.Sample;
import org.transfer4j.exec.Calibration;
import org.transfer4j.exec.Calibrator;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.train.CalibrationStore;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.BackboneLoader;
import org.transfer4j.weights.WeightStore;

/**
 * How far int8 moves a backbone from float32 on real photos: top-1 ImageNet agreement of the two models'
 * logits, the largest absolute feature difference (and the largest feature) and the smallest cosine
 * between an image's two feature vectors. Calibrated on a seeded sample of other images, as training
 * does. Used by {@code Int8PhotosTest} and, as a program, by bench/int8.sh.
 *
 * <p>Usage: {@code Int8Agreement BACKBONE WEIGHTS_DIR|WEIGHTS_FILE CALIBRATION_FOLDER N PHOTO_FOLDER...}
 */
public final class Int8Agreement {

    /**
     * @param images photos compared
     * @param agreement share of photos whose top-1 class is the same in int8 and float32
     * @param maxFeatureDifference largest |int8 − float32| over every feature of every photo
     * @param maxFeature largest |float32 feature|
     * @param minCosine smallest cosine similarity of a photo's two feature vectors
     */
    public record Result(int images, double agreement, double maxFeatureDifference, double maxFeature,
                         double minCosine) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "{\"images\": %d, \"top1_agreement\": %.4f, \"max_feature_diff\": %.4f, "
                    + "\"max_feature\": %.4f, \"min_cosine\": %.5f}", images, agreement, maxFeatureDifference,
                    maxFeature, minCosine);
        }
    }

    private Int8Agreement() {
    }

    public static void main(String[] args) {
        Path weights = Path.of(args[1]);
        Backbone net = Files.isDirectory(weights)
                ? BackboneLoader.load(args[0], null, WeightStore.fromEnvironment(weights))
                : BackboneLoader.load(args[0], weights, WeightStore.fromEnvironment(null));
        List<Path> photos = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            photos.addAll(images(Path.of(args[i])));
        }
        Result r = measure(net, images(Path.of(args[2])), Integer.parseInt(args[3]), photos);
        System.out.printf(Locale.ROOT, "{\"backbone\": \"%s\", \"calibration_images\": %s, \"result\": %s}%n",
                net.set().id(), args[3], r);
    }

    /** Every image file under a folder, sorted. */
    public static List<Path> images(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calibrates on a seeded sample of {@code calibrationCount} of {@code pool}, then compares on {@code photos}. */
    public static Result measure(Backbone net, List<Path> pool, int calibrationCount, List<Path> photos) {
        List<String> roles = List.of(Graph.Outputs.FEATURES, Graph.Outputs.LOGITS);
        int crop = net.set().preprocessing().crop();
        Calibration.Settings settings = new Calibration.Settings(Calibration.Method.MINMAX, calibrationCount, 42);
        List<Sample> sample = CalibrationStore.sample(pool.stream().map(p -> new Sample(p, 0)).toList(), settings);
        Calibration calibration;
        try (Calibrator c = new Calibrator(net.graph(), net.weights(), List.of(Graph.Outputs.FEATURES), settings, 2)) {
            forEachBatch(net, sample, b -> c.observe(b.pixels(), new long[] {b.size(), 3, crop, crop}));
            calibration = c.result();
        }
        int[] same = new int[2];
        double[] stats = {0, 0, 1};
        try (OrtRunner fp32 = new OrtRunner(OnnxWriter.write(net.graph(), net.weights(), roles), 2);
             OrtRunner int8 = new OrtRunner(OnnxWriter.writeInt8(net.graph(), net.weights(), roles, calibration), 2)) {
            forEachBatch(net, photos.stream().map(p -> new Sample(p, 0)).toList(), b -> {
                long[] shape = {b.size(), 3, crop, crop};
                var f = fp32.run(b.pixels(), shape);
                var q = int8.run(b.pixels(), shape);
                for (int i = 0; i < b.size(); i++) {
                    same[0] += argmax(f.get(Graph.Outputs.LOGITS)[i]) == argmax(q.get(Graph.Outputs.LOGITS)[i]) ? 1 : 0;
                    same[1]++;
                    float[] a = f.get(Graph.Outputs.FEATURES)[i];
                    float[] c = q.get(Graph.Outputs.FEATURES)[i];
                    double dot = 0;
                    double na = 0;
                    double nc = 0;
                    for (int k = 0; k < a.length; k++) {
                        stats[0] = Math.max(stats[0], Math.abs(a[k] - c[k]));
                        stats[1] = Math.max(stats[1], Math.abs(a[k]));
                        dot += a[k] * c[k];
                        na += a[k] * a[k];
                        nc += c[k] * c[k];
                    }
                    stats[2] = Math.min(stats[2], dot / Math.sqrt(na * nc));
                }
            });
        }
        return new Result(same[1], (double) same[0] / same[1], stats[0], stats[1], stats[2]);
    }

    private static void forEachBatch(Backbone net, List<Sample> samples, java.util.function.Consumer<Batch> action) {
        try (BatchLoader loader = new BatchLoader(samples, net.set().preprocessing(),
                BatchLoader.Options.defaults().withBatchSize(32).withProgress(false))) {
            while (loader.hasNext()) {
                Batch b = loader.next();
                if (b.size() > 0) {
                    action.accept(b);
                }
            }
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
