package org.transfer4j.exec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;
import org.transfer4j.weights.QuantParams;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * Where an int8 export puts its QuantizeLinear/DequantizeLinear nodes and with which scales. Every
 * activation is quantized right after the node that makes it (uint8, per tensor), except a
 * convolution's, linear layer's or sum's output that only a ReLU/ReLU6 reads (the activation's output is
 * quantized instead: ONNX Runtime drops the activation into the int8 kernel), the global average pool
 * and what follows it (cheap in float, and the features keep their precision), and linear outputs that
 * are model outputs; values the calibration has no range for (a trained head's) stay float, and so do
 * the layers that read them. Conv and linear weights are 8-bit per output channel ({@link WeightFormat})
 * or the file's own integers; biases are int32 with scale {@code input scale × weight scale}.
 */
final class QdqPlan {

    private static final int UINT8 = 2;
    private static final int INT8 = 3;
    private static final int INT32 = 6;
    /**
     * How float weights become integers. UINT8 (the default): zero point 128 in every channel, ±127 levels,
     * ONNX Runtime's uint8 × uint8 kernels. INT8: zero point 0, 7-bit levels (±63: ONNX Runtime's
     * uint8 × int8 kernels on x86 without VNNI add pairs of products in 16 bits, which saturate with
     * full-range weights). INT8 runs faster on this AVX2 machine but its features stray far from float32
     * (BENCHMARKS.md, issue 18); {@code -Dtransfer4j.int8.weights=int8} selects it for measuring.
     */
    enum WeightFormat { UINT8, INT8 }

    static final WeightFormat WEIGHTS =
            "int8".equals(System.getProperty("transfer4j.int8.weights")) ? WeightFormat.INT8 : WeightFormat.UINT8;
    private static final int SIGNED_MAX = 63;
    private static final int UNSIGNED_HALF = 127;
    private static final int UNSIGNED_ZERO = 128;
    private static final double BIAS_LIMIT = 1 << 30;

    private final Map<String, Tensor> params;
    private final Map<String, float[]> activation = new HashMap<>();  // value -> {scale, zero point}
    private final Set<String> renamed = new LinkedHashSet<>();
    private final List<OnnxProto> initializers = new ArrayList<>();
    private final Map<String, List<OnnxProto>> weightNodes = new HashMap<>();

    QdqPlan(List<Node> nodes, Map<String, Tensor> params, List<String> outputValues, Calibration calibration,
            Weights source) {
        this.params = params;
        for (String value : quantizedValues(nodes, outputValues)) {
            float[] range = source.fileActivationRanges().get(value);
            if (range == null) {
                range = calibration.range(value).orElse(null);
            }
            if (range == null) {
                continue;  // not part of the calibrated backbone (a trained head): stays float
            }
            activation.put(value, scaleAndZero(range));
            renamed.add(value);
        }
        Set<String> quantizedParams = new LinkedHashSet<>();
        for (Node n : nodes) {
            if ((n.op() == Op.CONV || n.op() == Op.LINEAR) && activation.containsKey(n.inputs().get(0))) {
                weightNodes.put(n.output(), quantizeLayer(n, source, quantizedParams));
            }
        }
        params.forEach((name, t) -> {
            if (!quantizedParams.contains(name)) {
                initializers.add(OnnxWriter.tensor(name, t));
            }
        });
        renamed.addAll(quantizedParams);
    }

    /** The values an int8 network quantizes, in execution order, the input first. */
    static List<String> quantizedValues(List<Node> nodes, List<String> outputValues) {
        Map<String, List<Node>> consumers = new HashMap<>();
        for (Node n : nodes) {
            n.inputs().forEach(v -> consumers.computeIfAbsent(v, k -> new ArrayList<>()).add(n));
        }
        List<String> values = new ArrayList<>();
        values.add(Graph.INPUT);
        for (Node n : nodes) {
            String v = n.output();
            List<Node> readers = consumers.getOrDefault(v, List.of());
            boolean intoActivation = readers.size() == 1
                    && (readers.get(0).op() == Op.RELU || readers.get(0).op() == Op.RELU6) && !outputValues.contains(v);
            boolean skip = switch (n.op()) {
                case GLOBAL_AVG_POOL, FLATTEN, DROPOUT, SOFTMAX, LOG_SOFTMAX -> true;
                case LINEAR -> outputValues.contains(v) || intoActivation;
                case CONV, ADD, BATCH_NORM -> intoActivation;
                default -> false;
            };
            if (!skip) {
                values.add(v);
            }
        }
        return values;
    }

    /** What a node reads instead of a value or parameter: its dequantized form, where there is one. */
    String rename(String name) {
        return renamed.contains(name) ? name + "_dequantized" : name;
    }

    /** The Q and DQ nodes right after the node that makes {@code value} (none when it stays float). */
    List<OnnxProto> nodesAfter(String value) {
        float[] sz = activation.get(value);
        if (sz == null) {
            return List.of();
        }
        initializers.add(OnnxWriter.tensor(value + "_scale", new Tensor(new long[0], new float[] {sz[0]})));
        initializers.add(integers(value + "_zero_point", UINT8, new long[0], new long[] {(long) sz[1]}));
        List<String> qp = List.of(value + "_scale", value + "_zero_point");
        List<String> qIn = new ArrayList<>(List.of(value));
        qIn.addAll(qp);
        List<String> dqIn = new ArrayList<>(List.of(value + "_quantized"));
        dqIn.addAll(qp);
        return List.of(OnnxWriter.node("QuantizeLinear", value + "_quantize", qIn, value + "_quantized"),
                OnnxWriter.node("DequantizeLinear", value + "_dequantize", dqIn, value + "_dequantized"));
    }

    /** The DQ nodes of a conv or linear node's weight and bias. */
    List<OnnxProto> weightNodes(Node n) {
        return weightNodes.getOrDefault(n.output(), List.of());
    }

    /** All initializers: integer weights, scales, zero points and the parameters that stay float. */
    List<OnnxProto> initializers() {
        return initializers;
    }

    private List<OnnxProto> quantizeLayer(Node n, Weights source, Set<String> quantizedParams) {
        String wName = n.param("weight");
        Tensor w = params.get(wName);
        long[] shape = w.shape();
        int out = (int) shape[0];
        int per = w.data().length / out;
        Optional<QuantParams> own = source.fileQuantization(wName);
        float[] input = activation.get(n.inputs().get(0));
        float[] bias = n.attributes().hasBias() ? params.get(n.param("bias")).data() : new float[out];
        QuantParams q = own.orElseGet(() -> perChannel(w.data(), out, per, bias, input[0]));
        float[] scales = q.scales();
        long[] zeros = q.zeroPoints();
        long[] values = new long[w.data().length];
        long lo = q.signed() ? -128 : 0;
        long hi = lo + 255;
        for (int i = 0; i < values.length; i++) {
            int c = q.perTensor() ? 0 : i / per;
            long v = Math.round(w.data()[i] / scales[c]) + zeros[c];
            values[i] = Math.max(lo, Math.min(hi, v));
        }
        long[] scaleShape = q.perTensor() ? new long[0] : new long[] {out};
        int type = q.signed() ? INT8 : UINT8;
        initializers.add(integers(wName + "_quantized", type, shape, values));
        initializers.add(OnnxWriter.tensor(wName + "_scale", new Tensor(scaleShape, scales)));
        initializers.add(integers(wName + "_zero_point", type, scaleShape, zeros));
        quantizedParams.add(wName);
        List<OnnxProto> nodes = new ArrayList<>();
        nodes.add(dequantize(wName, !q.perTensor()));
        if (n.attributes().hasBias()) {
            String bName = n.param("bias");
            float[] b = params.get(bName).data();
            float[] bScales = new float[out];
            long[] bValues = new long[out];
            for (int c = 0; c < out; c++) {
                bScales[c] = input[0] * scales[q.perTensor() ? 0 : c];
                bValues[c] = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(b[c] / bScales[c])));
            }
            initializers.add(integers(bName + "_quantized", INT32, new long[] {out}, bValues));
            initializers.add(OnnxWriter.tensor(bName + "_scale", new Tensor(new long[] {out}, bScales)));
            initializers.add(integers(bName + "_zero_point", INT32, new long[] {out}, new long[out]));
            quantizedParams.add(bName);
            nodes.add(dequantize(bName, true));
        }
        return nodes;
    }

    private static OnnxProto dequantize(String param, boolean perChannel) {
        OnnxProto dq = OnnxWriter.node("DequantizeLinear", param + "_dequantize",
                List.of(param + "_quantized", param + "_scale", param + "_zero_point"), param + "_dequantized");
        return perChannel ? dq.message(5, OnnxWriter.attrInt("axis", 0)) : dq;
    }

    /**
     * Per-output-channel weight scales ({@code max|w|} over the channel's levels), no smaller than the
     * bias needs: a channel with near-zero weights but a bias would otherwise overflow its int32 bias
     * ({@code b / (input scale × weight scale)}).
     */
    private static QuantParams perChannel(float[] w, int out, int per, float[] bias, float inputScale) {
        boolean signed = WEIGHTS == WeightFormat.INT8;
        int levels = signed ? SIGNED_MAX : UNSIGNED_HALF;
        float[] scales = new float[out];
        long[] zeros = new long[out];
        for (int c = 0; c < out; c++) {
            float max = 0;
            for (int k = c * per; k < (c + 1) * per; k++) {
                max = Math.max(max, Math.abs(w[k]));
            }
            float floor = (float) (Math.abs(bias[c]) / (inputScale * BIAS_LIMIT));
            scales[c] = Math.max(max / levels, floor);
            if (!(scales[c] > 0)) {
                scales[c] = 1f;
            }
            zeros[c] = signed ? 0 : UNSIGNED_ZERO;
        }
        return new QuantParams(scales, zeros, signed);
    }

    /** uint8 scale and zero point of a range; the range is widened to hold 0. */
    static float[] scaleAndZero(float[] range) {
        float min = Math.min(range[0], 0f);
        float max = Math.max(range[1], 0f);
        float scale = (max - min) / 255f;
        if (!(scale > 0) || !Float.isFinite(scale)) {
            return new float[] {1f, 0f};
        }
        long zero = Math.max(0, Math.min(255, Math.round(-min / scale)));
        return new float[] {scale, zero};
    }

    private static OnnxProto integers(String name, int type, long[] shape, long[] values) {
        int width = type == INT32 ? 4 : 1;
        ByteBuffer raw = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            if (width == 4) {
                raw.putInt((int) v);
            } else {
                raw.put((byte) v);
            }
        }
        OnnxProto p = new OnnxProto();
        for (long d : shape) {
            p.int64(1, d);
        }
        return p.int64(2, type).string(8, name).rawBytes(9, raw.array());
    }
}
