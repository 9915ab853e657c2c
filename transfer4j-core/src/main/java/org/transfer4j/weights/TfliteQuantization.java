package org.transfer4j.weights;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;

/**
 * Keeps what a quantized TFLite file says about its integers after {@link TfliteImport} has dequantized
 * them: each weight's scales and zero points (per output channel, axis 0 in the graph's layout) and the
 * range each layer's input and output activations were quantized to, named by graph value.
 */
final class TfliteQuantization {

    private TfliteQuantization() {
    }

    /**
     * @param layers the graph's conv and linear nodes, paired in order with {@code ops}
     * @return {@code weights} with the file's quantization attached (unchanged for a float file)
     */
    static Weights attach(TfliteModel model, Graph graph, List<Node> layers, List<TfliteOperator> ops, Weights weights) {
        Map<String, QuantParams> params = new LinkedHashMap<>();
        Map<String, float[]> ranges = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Node node = layers.get(i);
            TfliteOperator op = ops.get(i);
            TfliteTensor w = model.tensor(op.inputs()[1]);
            if (!isInteger(w)) {
                continue;
            }
            params.put(node.param("weight"), new QuantParams(w.scales(), zeroPoints(w), w.type() == TfliteTensor.INT8));
            int input = op.inputs()[0];
            TfliteOperator pad = model.producerOf(input);
            if (pad != null && pad.code() == TfliteOperator.PAD) {
                input = pad.inputs()[0];
            }
            putRange(ranges, node.inputs().get(0), model.tensor(input));
            // a fused activation makes the file's output the graph's activation output
            putRange(ranges, activationAfter(graph, node), model.tensor(op.outputs()[0]));
        }
        return params.isEmpty() ? weights : weights.withFileQuantization(params, ranges);
    }

    private static boolean isInteger(TfliteTensor t) {
        return t.scales().length > 0 && (t.type() == TfliteTensor.UINT8 || t.type() == TfliteTensor.INT8);
    }

    private static long[] zeroPoints(TfliteTensor t) {
        return t.zeroPoints().length == 0 ? new long[t.scales().length] : t.zeroPoints();
    }

    private static void putRange(Map<String, float[]> ranges, String value, TfliteTensor t) {
        if (!isInteger(t) || t.scales().length != 1) {
            return;
        }
        float scale = t.scales()[0];
        long zero = zeroPoints(t)[0];
        long min = t.type() == TfliteTensor.INT8 ? -128 : 0;
        ranges.put(value, new float[] {scale * (min - zero), scale * (min + 255 - zero)});
    }

    private static String activationAfter(Graph graph, Node node) {
        String out = node.output();
        List<Node> consumers = graph.nodes().stream().filter(n -> n.inputs().contains(out)).toList();
        if (consumers.size() == 1 && (consumers.get(0).op() == Op.RELU6 || consumers.get(0).op() == Op.RELU)) {
            return consumers.get(0).output();
        }
        return out;
    }
}
