package org.transfer4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.transfer4j.arch.Architectures;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.RandomWeights;
import org.transfer4j.exec.Calibration;
import org.transfer4j.exec.Calibrator;
import org.transfer4j.exec.OnnxOpTypes;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.BackboneLoader;
import org.transfer4j.weights.WeightStore;
import org.transfer4j.weights.Weights;

/**
 * Backbone inference images/s at batch 32, 224x224, ONNX Runtime float32 against the int8 QDQ export of
 * the same network, in alternating rounds of one run. Not a test: run by bench/int8.sh. Prints one JSON
 * line per backbone with both speeds, their ratio and the operator types of the optimized int8 model.
 *
 * <p>Usage: {@code Int8InferenceBench SECONDS THREADS ROUNDS BACKBONE[:random|:WEIGHTS_DIR]...}; random
 * weights time the same as real ones for float32; for int8 the real file's own integers are used when
 * a weights folder is given. Calibration for random weights uses random batches (speed does not depend
 * on the ranges).
 */
public final class Int8InferenceBench {

    private Int8InferenceBench() {
    }

    public static void main(String[] args) {
        double seconds = Double.parseDouble(args[0]);
        int threads = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int batch = 32;
        for (String spec : List.of(args).subList(3, args.length)) {
            String[] parts = spec.split(":", 2);
            Graph g;
            Weights w;
            String source;
            if (parts.length > 1 && !parts[1].equals("random")) {
                Backbone net = BackboneLoader.load(parts[0], null, WeightStore.fromEnvironment(Path.of(parts[1])));
                g = net.graph();
                w = net.weights();
                source = net.set().id();
            } else {
                g = Architectures.build(parts[0]);
                w = RandomWeights.of(g, 1);
                source = "random";
            }
            float[] input = new float[batch * 3 * g.inputSize() * g.inputSize()];
            Random r = new Random(1);
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) Math.max(-2.5, Math.min(2.5, r.nextGaussian()));
            }
            long[] shape = {batch, 3, g.inputSize(), g.inputSize()};
            List<String> roles = List.of(Graph.Outputs.FEATURES);
            Calibration calibration;
            try (Calibrator c = new Calibrator(g, w, roles, Calibration.Settings.defaults(), threads)) {
                long[] small = {4, 3, g.inputSize(), g.inputSize()};
                c.observe(java.util.Arrays.copyOf(input, input.length / 8), small);
                calibration = c.result();
            }
            byte[] fp32 = OnnxWriter.write(g, w, roles);
            byte[] int8 = OnnxWriter.writeInt8(g, w, roles, calibration);
            Map<String, Integer> ops = OnnxOpTypes.count(OrtRunner.optimized(int8, threads));
            List<Double> f = new ArrayList<>();
            List<Double> q = new ArrayList<>();
            try (OrtRunner a = new OrtRunner(fp32, threads); OrtRunner b = new OrtRunner(int8, threads)) {
                a.run(input, shape);
                b.run(input, shape);
                for (int k = 0; k < rounds; k++) {
                    f.add(speed(batch, seconds, () -> a.run(input, shape)));
                    q.add(speed(batch, seconds, () -> b.run(input, shape)));
                }
            }
            double fm = median(f);
            double qm = median(q);
            System.out.printf(Locale.ROOT, "{\"backbone\": \"%s\", \"weights\": \"%s\", \"float_weights_as\": \"%s\", \"threads\": %d, "
                            + "\"fp32_images_per_s\": %.2f, \"int8_images_per_s\": %.2f, \"ratio\": %.3f, "
                            + "\"fp32_rounds\": %s, \"int8_rounds\": %s, \"int8_ops\": \"%s\"}%n",
                    parts[0], source, System.getProperty("transfer4j.int8.weights", "uint8"), threads, fm, qm, qm / fm, f, q, ops);
        }
    }

    private static double speed(int batch, double seconds, Runnable step) {
        int runs = 0;
        long start = System.nanoTime();
        while (runs < 2 || (System.nanoTime() - start) / 1e9 < seconds) {
            step.run();
            runs++;
        }
        return runs * batch / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
