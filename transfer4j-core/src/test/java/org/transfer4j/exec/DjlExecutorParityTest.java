package org.transfer4j.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.transfer4j.arch.Architectures;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Graph.Outputs;
import org.transfer4j.arch.GraphBuilder;
import org.transfer4j.arch.MobileNetV2;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/** The DJL executor computes what ONNX Runtime computes from the same graph, weights and input. */
@Tag("slow")
class DjlExecutorParityTest {

    private static final double LOGITS_TOLERANCE = 1e-4;

    /**
     * Random weights that keep activations of order one through a deep network: He-scaled convs,
     * 1/sqrt(fan-in) linear layers, batch-norm near identity with positive running variance.
     */
    static Weights scaledRandom(Graph graph, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> m = new LinkedHashMap<>();
        // Batch-norms that end a residual branch get small scales, as trained ResNets have them;
        // otherwise every block doubles the activations and deep nets overflow the comparison.
        java.util.Set<String> addInputs = new java.util.HashSet<>();
        graph.nodes().stream().filter(n -> n.op() == org.transfer4j.arch.Op.ADD).forEach(n -> addInputs.addAll(n.inputs()));
        java.util.Set<String> residualNorms = new java.util.HashSet<>();
        graph.nodes().stream().filter(n -> n.op() == org.transfer4j.arch.Op.BATCH_NORM && addInputs.contains(n.output()))
                .forEach(n -> residualNorms.add(n.name() + ".weight"));
        graph.parameters().forEach((name, shape) -> {
            double gain = residualNorms.contains(name) ? 0.2 : 1.0;
            Tensor t = Tensor.zeros(shape);
            float[] d = t.data();
            long fanIn = shape.length > 1 ? Tensor.numel(shape) / shape[0] : 1;
            String kind = name.substring(name.lastIndexOf('.') + 1);
            for (int i = 0; i < d.length; i++) {
                double g = r.nextGaussian();
                d[i] = (float) switch (kind) {
                    case "running_var" -> 0.5 + r.nextDouble();
                    case "running_mean", "bias" -> 0.1 * g;
                    case "weight" -> shape.length == 1 ? gain * (1 + 0.1 * g)
                            : shape.length == 2 ? g / Math.sqrt(fanIn) : g * Math.sqrt(2.0 / fanIn);
                    default -> throw new IllegalArgumentException("unexpected parameter " + name);
                };
            }
            m.put(name, t);
        });
        return new Weights(m);
    }

    static float[] gaussianInput(int n, int size, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 3 * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /**
     * Every architecture with a classifier (the headless feature extractors are covered by their
     * features). By default the torchvision ones are left to TorchvisionParityTest, which compares both
     * executors with PyTorch itself (one per family); {@code -Dtransfer4j.parity=all} runs them here too.
     */
    static Stream<String> architectures() {
        boolean all = "all".equals(System.getProperty("transfer4j.parity"));
        return Architectures.all().stream().filter(e -> all || !e.torchvision()).map(Architectures.Entry::name)
                .filter(name -> Architectures.build(name).outputs().containsKey(Outputs.LOGITS));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void everyArchitectureMatchesOnnxRuntime(String name) {
        Graph g = Architectures.build(name);
        Comparison c = compare(g, 2, List.of(Outputs.FEATURES, Outputs.LOGITS));
        System.err.printf("%s batch 2: max |DJL - ORT| logits %.2e, features %.2e; logits rms %.3f%n",
                name, c.maxDiff(Outputs.LOGITS), c.maxDiff(Outputs.FEATURES), c.rms(Outputs.LOGITS));
        assertOrderOne(c);
        assertThat(c.maxDiff(Outputs.LOGITS)).isLessThan(LOGITS_TOLERANCE);
    }

    @Test
    void mobileNetV2BatchOf8MatchesOnnxRuntime() {
        for (Graph g : List.of(MobileNetV2.torchvision(), MobileNetV2.tensorflow())) {
            Comparison c = compare(g, 8, List.of(Outputs.FEATURES, Outputs.LOGITS));
            System.err.printf("%s batch 8: max |DJL - ORT| logits %.2e, features %.2e; logits rms %.3f;"
                            + " time DJL %d ms, ORT %d ms%n", g.name(), c.maxDiff(Outputs.LOGITS),
                    c.maxDiff(Outputs.FEATURES), c.rms(Outputs.LOGITS), c.djlMillis(), c.ortMillis());
            assertOrderOne(c);
            assertThat(c.maxDiff(Outputs.LOGITS)).isLessThan(LOGITS_TOLERANCE);
            assertThat(c.maxDiff(Outputs.FEATURES)).isLessThan(LOGITS_TOLERANCE);
        }
    }

    /** Every op, including those MobileNetV2 lacks; asymmetric SAME padding and ceil-mode pooling. */
    @Test
    void everyOpMatchesOnnxRuntime() {
        GraphBuilder b = new GraphBuilder("all_ops", 16);
        String x = b.leakyRelu(b.bn("stem.bn", b.conv("stem.conv", b.input(), 8, 3, 1, 1)), 0.1f);
        String pooled = b.maxPool(x, 3, 2, 0, true);
        String same = b.hardSwish(b.convSame("same", pooled, 8, 3, 2, 8, true));
        String se = b.silu(b.conv("se.reduce", b.globalAvgPool(same), 4, 1, 1, 0, 1, true));
        String scaled = b.mul(same, b.hardSigmoid(b.conv("se.expand", se, 8, 1, 1, 0, 1, true)));
        String smooth = b.sigmoid(b.avgPool(pooled, 3, 2, 1));
        String joined = b.relu(b.concat(List.of(scaled, smooth, b.relu6(same))));
        String mixed = b.add(b.conv("mix", joined, 24, 1, 1, 0), joined);
        String features = b.flatten(b.globalAvgPool(mixed));
        String logits = b.linear("fc", features, 5, true);
        Graph g = b.output(Outputs.FEATURES, features).output(Outputs.LOGITS, logits)
                .output("log_probs", b.logSoftmax(logits)).output("probs", b.softmax(logits)).build();
        assertThat(b.shape(pooled)).containsExactly(8, 8, 8);
        List<String> roles = List.of(Outputs.FEATURES, Outputs.LOGITS, "log_probs", "probs");
        Comparison c = compare(g, 3, roles);
        for (String role : roles) {
            assertThat(c.maxDiff(role)).as(role).isLessThan(1e-5);
        }
        assertOrderOne(c);
    }

    private static void assertOrderOne(Comparison c) {
        assertThat(c.rms(Outputs.LOGITS)).as("logits rms: weights scaled so that the test means something")
                .isBetween(0.05, 50.0);
    }

    private static Comparison compare(Graph g, int n, List<String> roles) {
        Weights w = scaledRandom(g, 42);
        float[] input = gaussianInput(n, g.inputSize(), 7);
        long[] shape = {n, 3, g.inputSize(), g.inputSize()};
        Map<String, float[][]> djl;
        Map<String, float[][]> ort;
        long djlNanos;
        long ortNanos;
        try (DjlExecutor executor = new DjlExecutor(g, w)) {
            executor.run(input, shape, roles);  // warm-up
            long t0 = System.nanoTime();
            djl = executor.run(input, shape, roles);
            djlNanos = System.nanoTime() - t0;
        }
        try (OrtRunner runner = new OrtRunner(OnnxWriter.write(g, w, roles), 2)) {
            runner.run(input, shape);
            long t0 = System.nanoTime();
            ort = runner.run(input, shape);
            ortNanos = System.nanoTime() - t0;
        }
        for (String role : roles) {
            assertThat(djl.get(role)).as(role).hasDimensions(n, g.width(role));
        }
        return new Comparison(djl, ort, djlNanos / 1_000_000, ortNanos / 1_000_000);
    }

    private record Comparison(Map<String, float[][]> djl, Map<String, float[][]> ort, long djlMillis,
                              long ortMillis) {

        double maxDiff(String role) {
            float[][] a = djl.get(role);
            float[][] b = ort.get(role);
            double max = 0;
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a[i].length; j++) {
                    max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
                }
            }
            return max;
        }

        double rms(String role) {
            double sum = 0;
            long count = 0;
            for (float[] row : ort.get(role)) {
                for (float v : row) {
                    sum += (double) v * v;
                    count++;
                }
            }
            return Math.sqrt(sum / count);
        }
    }
}
