package org.transfer4j.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;
import org.transfer4j.arch.ResNet;
import org.transfer4j.weights.Weights;

/**
 * The int8 export's graph: which operators carry QuantizeLinear/DequantizeLinear, and that ONNX Runtime
 * fuses every convolution of a ResNet-18 into QLinearConv (and its sums into QLinearAdd) while the
 * features stay float.
 */
class QdqGraphTest {

    private static Graph graph;
    private static Weights weights;
    private static Calibration calibration;
    private static float[] input;
    private static final long[] SHAPE = {2, 3, 224, 224};

    @BeforeAll
    static void calibrate() {
        graph = ResNet.resnet18();
        weights = OnnxWriterTest.random(graph, 3);
        input = new float[2 * 3 * 224 * 224];
        Random r = new Random(5);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) Math.max(-2, Math.min(2, r.nextGaussian()));
        }
        try (Calibrator c = new Calibrator(graph, weights, List.of(Graph.Outputs.FEATURES),
                Calibration.Settings.defaults(), 2)) {
            c.observe(input, SHAPE);
            calibration = c.result();
        }
    }

    @Test
    void theRangesAreTheExtremesOfEveryActivationAndPercentilesLieWithin() {
        List<String> values = OnnxWriter.quantizedValues(graph, weights, List.of(Graph.Outputs.FEATURES));
        try (OrtRunner runner = new OrtRunner(OnnxWriter.writeForCalibration(graph, weights,
                List.of(Graph.Outputs.FEATURES)), 2)) {
            Map<String, float[][]> all = new java.util.LinkedHashMap<>(runner.run(input, SHAPE,
                    new java.util.LinkedHashSet<>(values.subList(1, values.size()))));
            all.put(Graph.INPUT, new float[][] {input});
            assertThat(all.keySet()).containsExactlyInAnyOrderElementsOf(values);
            for (Map.Entry<String, float[][]> e : all.entrySet()) {
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (float[] row : e.getValue()) {
                    for (float v : row) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
                assertThat(calibration.range(e.getKey()).orElseThrow()).as(e.getKey()).containsExactly(min, max);
            }
        }
        Calibration.Settings percentile = new Calibration.Settings(Calibration.Method.PERCENTILE, 2, 9);
        try (Calibrator c = new Calibrator(graph, weights, List.of(Graph.Outputs.FEATURES), percentile, 2)) {
            c.observe(input, SHAPE);
            for (Map.Entry<String, float[]> e : c.result().ranges().entrySet()) {
                float[] extremes = calibration.range(e.getKey()).orElseThrow();
                assertThat(e.getValue()[0]).as(e.getKey()).isBetween(extremes[0], e.getValue()[1]);
                assertThat(e.getValue()[1]).as(e.getKey()).isLessThanOrEqualTo(extremes[1]);
            }
        }
    }

    @Test
    void convolutionsReadDequantizedInputsAndWeights() {
        byte[] model = OnnxWriter.writeInt8(graph, weights, List.of(Graph.Outputs.FEATURES), calibration);
        Map<String, Integer> ops = OnnxOpTypes.count(model);
        long convs = graph.nodes().stream().filter(n -> n.op() == Op.CONV).count();
        assertThat(ops.get("Conv")).isEqualTo((int) convs);
        assertThat(ops).doesNotContainKey("BatchNormalization");  // folded into the convolutions
        // activations: the input, each ReLU, each sum that no ReLU follows, the max pool...
        int quantized = OnnxWriter.quantizedValues(graph, weights, List.of(Graph.Outputs.FEATURES)).size();
        assertThat(ops.get("QuantizeLinear")).isEqualTo(quantized);
        // ...dequantized once each, and every conv's weight and bias
        assertThat(ops.get("DequantizeLinear")).isEqualTo(quantized + 2 * (int) convs);
        assertThat(calibration.ranges().keySet())
                .containsExactlyElementsOf(OnnxWriter.quantizedValues(graph, weights, List.of(Graph.Outputs.FEATURES)));
    }

    @Test
    void quantizedValuesSkipWhatAnActivationReadsAndThePool() {
        List<String> values = OnnxWriter.quantizedValues(graph, weights, List.of(Graph.Outputs.FEATURES));
        assertThat(values.get(0)).isEqualTo(Graph.INPUT);
        for (Node n : graph.nodes()) {
            if (n.op() == Op.RELU) {
                // a ReLU's input (a batch norm's or a sum's output) is left to the ReLU: ORT drops the ReLU
                assertThat(values).as(n.name()).doesNotContain(n.inputs().get(0));
            }
            if (n.op() == Op.RELU || n.op() == Op.MAX_POOL) {
                assertThat(values).as(n.name()).contains(n.output());
            }
            if (n.op() == Op.GLOBAL_AVG_POOL || n.op() == Op.FLATTEN) {
                assertThat(values).as(n.name()).doesNotContain(n.output());
            }
        }
    }

    @Test
    void onnxRuntimeFusesEveryConvolutionIntoAnInt8Kernel() {
        byte[] model = OnnxWriter.writeInt8(graph, weights, List.of(Graph.Outputs.FEATURES), calibration);
        Map<String, Integer> optimized = OnnxOpTypes.count(OrtRunner.optimized(model, 2));
        long convs = graph.nodes().stream().filter(n -> n.op() == Op.CONV).count();
        assertThat(optimized.get("QLinearConv")).isEqualTo((int) convs);
        assertThat(optimized.get("QLinearAdd")).isEqualTo(8);
        assertThat(optimized).doesNotContainKeys("Conv", "FusedConv", "Add");
        try (OrtRunner fp32 = new OrtRunner(OnnxWriter.write(graph, weights, List.of(Graph.Outputs.FEATURES)), 2);
             OrtRunner int8 = new OrtRunner(model, 2)) {
            float[][] f = fp32.run(input, SHAPE).get(Graph.Outputs.FEATURES);
            float[][] q = int8.run(input, SHAPE).get(Graph.Outputs.FEATURES);
            assertThat(q[0]).hasSameSizeAs(f[0]);
            assertThat(cosine(f[0], q[0])).as("random weights, calibrated on the same batch").isGreaterThan(0.95);
        }
    }

    @Test
    void calibrationRoundTripsThroughJsonAndItsIdFollowsTheRanges() {
        Calibration read = Calibration.fromJson(calibration.toJson());
        assertThat(read.id()).isEqualTo(calibration.id());
        assertThat(read.ranges().keySet()).containsExactlyElementsOf(calibration.ranges().keySet());
        Map<String, float[]> moved = new java.util.LinkedHashMap<>(calibration.ranges());
        moved.put(Graph.INPUT, new float[] {-3, 3});
        assertThat(new Calibration(calibration.method(), calibration.images(), calibration.seed(), moved).id())
                .isNotEqualTo(calibration.id());
        assertThatThrownBy(() -> Calibration.fromJson("{}".getBytes())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a calibration");
    }

    @Test
    void precisionAndMethodNameTheBadValue() {
        assertThat(Precision.parse("INT8")).isEqualTo(Precision.INT8);
        assertThat(Precision.parse("fp32")).isEqualTo(Precision.FP32);
        assertThatThrownBy(() -> Precision.parse("int4")).hasMessage("--precision must be fp32 or int8, got 'int4'");
        assertThatThrownBy(() -> Calibration.Method.parse("entropy"))
                .hasMessage("--calibration must be minmax or percentile, got 'entropy'");
        assertThatThrownBy(() -> new Calibration.Settings(Calibration.Method.MINMAX, 0, 1))
                .hasMessageContaining("--calibration-images");
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
