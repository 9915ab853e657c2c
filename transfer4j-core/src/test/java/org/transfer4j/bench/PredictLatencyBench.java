package org.transfer4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.transfer4j.model.ImageClassifier;

/**
 * Warm single-image prediction latency (decode + preprocess + ONNX Runtime) of a saved model, p50 and
 * p99 over N predictions. Not a test: run by bench/run.sh. Usage: {@code PredictLatencyBench MODEL IMAGE_DIR N}
 */
public final class PredictLatencyBench {

    private PredictLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> images;
        try (Stream<Path> s = Files.list(Path.of(args[1]))) {
            images = s.sorted().toList();
        }
        int n = Integer.parseInt(args[2]);
        try (ImageClassifier model = ImageClassifier.load(Path.of(args[0]))) {
            for (int i = 0; i < 20; i++) {
                model.predict(images.get(i % images.size()));
            }
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                model.predict(images.get(i % images.size()));
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "{\"predictions\": %d, \"p50_ms\": %.2f, \"p99_ms\": %.2f}%n", n,
                    ms[n / 2], ms[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)]);
        }
    }
}
