package org.transfer4j.bench;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.transfer4j.arch.Architectures;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.RandomWeights;
import org.transfer4j.exec.DjlExecutor;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.weights.Weights;

/**
 * Backbone inference images/s at batch 32, 224x224, on ONNX Runtime and on libtorch through DJL,
 * with random weights (speed does not depend on the values). Not a test: run by bench/run.sh.
 * Prints one JSON line per backbone and executor.
 *
 * <p>Usage: {@code InferenceBench SECONDS THREADS BACKBONE...}
 */
public final class InferenceBench {

    private InferenceBench() {
    }

    public static void main(String[] args) {
        double seconds = Double.parseDouble(args[0]);
        int threads = Integer.parseInt(args[1]);
        int batch = 32;
        for (String name : List.of(args).subList(2, args.length)) {
            String[] parts = name.split(":");
            Graph g = Architectures.build(parts[0]);
            Weights w = RandomWeights.of(g, 1);
            float[] input = new float[batch * 3 * g.inputSize() * g.inputSize()];
            Random r = new Random(1);
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) r.nextGaussian();
            }
            long[] shape = {batch, 3, g.inputSize(), g.inputSize()};
            boolean djl = parts.length > 1 && parts[1].equals("djl");
            if (djl) {
                try (DjlExecutor ex = new DjlExecutor(g, w)) {
                    report(parts[0], "djl-libtorch", batch, seconds, () -> ex.run(input, shape, List.of(Graph.Outputs.FEATURES)));
                }
            } else {
                try (OrtRunner ort = new OrtRunner(OnnxWriter.write(g, w, List.of(Graph.Outputs.FEATURES)), threads)) {
                    report(parts[0], "onnxruntime", batch, seconds, () -> ort.run(input, shape));
                }
            }
        }
    }

    private static void report(String name, String executor, int batch, double seconds, Runnable step) {
        step.run(); // warm-up
        int runs = 0;
        long start = System.nanoTime();
        while (runs < 2 || ((System.nanoTime() - start) / 1e9 < seconds && runs < 20)) {
            step.run();
            runs++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"backbone\": \"%s\", \"executor\": \"%s\", \"images_per_s\": %.2f, \"batches\": %d}%n",
                name, executor, runs * batch / elapsed, runs);
    }
}
