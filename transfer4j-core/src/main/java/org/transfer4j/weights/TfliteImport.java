package org.transfer4j.weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;

/**
 * Maps the weights of a TensorFlow Lite model onto a graph built in {@code ConvStyle.TENSORFLOW} style
 * (batch-norm folded into conv biases, SAME padding), e.g. {@code MobileNetV2.tensorflow()} or
 * {@code MobileNetV1.tensorflow(0.5, 160)}.
 *
 * <p>TFLite files carry no layer names that match ours, so the file's weighted operators
 * ({@code CONV_2D}, {@code DEPTHWISE_CONV_2D}, {@code FULLY_CONNECTED}) are paired, in execution order,
 * with the graph's conv and linear nodes. Each pair is checked: operator kind, weight shape, stride,
 * padding, output size and fused activation must agree, so a file of another architecture fails with a
 * message naming the operator, its tensor and the graph layer. Layouts are converted on the way: conv
 * {@code [O,H,W,I] -> [O,I,H,W]}, depthwise {@code [1,H,W,O] -> [O,1,H,W]}, and a 1×1 conv standing in
 * for the classifier {@code [O,1,1,I] -> [O,I]}. Quantized values are dequantized
 * ({@link TfliteTensor#dequantize}).
 */
public final class TfliteImport {

    private TfliteImport() {
    }

    /**
     * Reads a {@code .tflite} file and maps its weights onto {@code graph}.
     *
     * @throws WeightsException when the file is unreadable or does not fit the graph
     */
    public static Weights load(Path file, Graph graph) {
        return map(TfliteReader.read(file), graph);
    }

    /**
     * Maps a model's weights onto {@code graph}.
     *
     * @return one tensor per graph parameter, in the graph's layouts
     * @throws WeightsException naming the first operator that does not fit its graph layer
     */
    public static Weights map(TfliteModel model, Graph graph) {
        String source = model.source();
        checkInput(model, graph);
        List<Node> layers = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (n.op() == Op.CONV || n.op() == Op.LINEAR) {
                layers.add(n);
            }
        }
        List<TfliteOperator> ops = new ArrayList<>();
        for (TfliteOperator op : model.operators()) {
            if (op.hasWeights()) {
                ops.add(op);
            }
        }
        if (layers.size() != ops.size()) {
            throw new WeightsException(source + " has " + ops.size()
                    + " conv/depthwise/fully-connected operators but " + graph.name() + " has "
                    + layers.size() + " conv and linear layers; pick the architecture the file was made for");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Pairing p = new Pairing(model, graph, layers.get(i), ops.get(i));
            tensors.put(layers.get(i).param("weight"), p.weight());
            if (layers.get(i).attributes().hasBias()) {
                tensors.put(layers.get(i).param("bias"), p.bias());
            }
        }
        Weights weights = new Weights(tensors);
        weights.checkAgainst(graph, source);
        return TfliteQuantization.attach(model, graph, layers, ops, weights);
    }

    private static void checkInput(TfliteModel model, Graph graph) {
        if (model.inputs().length != 1) {
            throw new WeightsException(model.source() + " has " + model.inputs().length
                    + " inputs; only single-image models can be imported");
        }
        int[] shape = model.tensor(model.inputs()[0]).shape();
        if (shape.length != 4 || shape[1] != graph.inputSize() || shape[2] != graph.inputSize() || shape[3] != 3) {
            throw new WeightsException(model.source() + " takes input " + Arrays.toString(shape) + " (NHWC) but "
                    + graph.name() + " is built for " + graph.inputSize() + "x" + graph.inputSize()
                    + " RGB; pick the variant with the file's input size");
        }
    }

    /** One graph layer and the TFLite operator that supplies its weights. */
    private static final class Pairing {
        private final TfliteModel model;
        private final Graph graph;
        private final Node node;
        private final TfliteOperator op;
        private final long[] target;
        private final String where;

        Pairing(TfliteModel model, Graph graph, Node node, TfliteOperator op) {
            this.model = model;
            this.graph = graph;
            this.node = node;
            this.op = op;
            this.target = graph.parameters().get(node.param("weight"));
            this.where = model.source() + ": " + op.describe() + " pairs with " + graph.name() + " layer "
                    + node.name();
            checkKind();
            if (node.op() == Op.CONV) {
                checkGeometry();
            } else if (op.code() == TfliteOperator.CONV_2D) {
                int[] in = model.tensor(op.inputs()[0]).shape();
                if (in.length != 4 || in[1] != 1 || in[2] != 1) {
                    throw new WeightsException(where + ": a conv stands in for a linear layer only on a 1x1 "
                            + "input, but its input is " + Arrays.toString(in));
                }
            }
            checkActivation();
        }

        private boolean depthwise() {
            return node.op() == Op.CONV && node.attributes().groups() > 1 && target[1] == 1;
        }

        private void checkKind() {
            int expected = node.op() == Op.LINEAR ? -1
                    : depthwise() ? TfliteOperator.DEPTHWISE_CONV_2D : TfliteOperator.CONV_2D;
            boolean ok = expected == -1
                    ? op.code() == TfliteOperator.FULLY_CONNECTED || op.code() == TfliteOperator.CONV_2D
                    : op.code() == expected;
            if (!ok) {
                String layer = node.op() == Op.LINEAR ? "a linear layer" : depthwise() ? "a depthwise conv" : "a conv";
                throw new WeightsException(where + ", which is " + layer + "; the file's layers are in another "
                        + "order or of another architecture");
            }
            if (node.op() == Op.CONV && node.attributes().groups() > 1 && !depthwise()) {
                throw new WeightsException(where + ": grouped convolutions other than depthwise have no TFLite form");
            }
        }

        /** Stride, padding (SAME, VALID, or VALID after an explicit PAD) and output size must agree. */
        private void checkGeometry() {
            int[] stride = node.attributes().stride();
            if (op.strideH() != stride[0] || op.strideW() != stride[1]) {
                throw new WeightsException(where + ": stride " + op.strideH() + "x" + op.strideW()
                        + " in the file, " + stride[0] + "x" + stride[1] + " in the graph");
            }
            int input = op.inputs()[0];
            int[] pads = new int[4];
            TfliteOperator pad = model.producerOf(input);
            if (pad != null && pad.code() == TfliteOperator.PAD) {
                int[] p = model.tensor(pad.inputs()[1]).rawInts();  // NHWC pairs (before, after)
                pads = new int[] {p[2], p[4], p[3], p[5]};
                input = pad.inputs()[0];
            }
            int[] in = model.tensor(input).shape();
            int kernel = (int) target[2];
            if (op.padding() == TfliteOperator.SAME) {
                for (int axis = 0; axis < 2; axis++) {
                    int size = in[1 + axis];
                    int out = (size + stride[axis] - 1) / stride[axis];
                    int total = Math.max((out - 1) * stride[axis] + kernel - size, 0);
                    pads[axis] += total / 2;
                    pads[axis + 2] += total - total / 2;
                }
            }
            if (!Arrays.equals(pads, node.attributes().pads())) {
                throw new WeightsException(where + ": padding (top, left, bottom, right) " + Arrays.toString(pads)
                        + " in the file, " + Arrays.toString(node.attributes().pads()) + " in the graph");
            }
            int[] out = model.tensor(op.outputs()[0]).shape();
            long[] expected = graph.shapeOf(node.output());
            long[] actual = {out[3], out[1], out[2]};
            if (!Arrays.equals(actual, expected)) {
                throw new WeightsException(where + ": output [C, H, W] " + Arrays.toString(actual)
                        + " in the file, " + Arrays.toString(expected) + " in the graph");
            }
        }

        /** The file's fused activation must be the graph's activation right after the layer. */
        private void checkActivation() {
            int expected = TfliteOperator.NONE;
            for (Node n : graph.nodes()) {
                if (n.inputs().contains(node.output()) && (n.op() == Op.RELU6 || n.op() == Op.RELU)) {
                    expected = n.op() == Op.RELU6 ? TfliteOperator.RELU6 : TfliteOperator.RELU;
                }
            }
            if (op.activation() != expected) {
                throw new WeightsException(where + ": fused activation " + op.activationName()
                        + " in the file, but the graph applies "
                        + (expected == TfliteOperator.NONE ? "none" : expected == TfliteOperator.RELU ? "RELU" : "RELU6"));
            }
        }

        Tensor weight() {
            TfliteTensor t = constant(op.inputs()[1], "weights");
            Tensor w = t.dequantize(model.source());
            long[] s = w.shape();
            Tensor converted;
            if (op.code() == TfliteOperator.FULLY_CONNECTED) {
                converted = w;
            } else if (s.length != 4) {
                throw misShaped(t, "4 dimensions");
            } else if (node.op() == Op.LINEAR) {
                if (s[1] != 1 || s[2] != 1) {
                    throw misShaped(t, "a 1x1 kernel to stand in for a linear layer");
                }
                converted = w.reshape(s[0], s[3]);
            } else if (depthwise()) {
                converted = permute(w, new int[] {3, 0, 1, 2});  // [1,H,W,O] -> [O,1,H,W]
            } else {
                converted = permute(w, new int[] {0, 3, 1, 2});  // [O,H,W,I] -> [O,I,H,W]
            }
            if (!Arrays.equals(converted.shape(), target)) {
                throw misShaped(t, "shape " + Arrays.toString(target) + " after layout conversion, got "
                        + converted.shapeText());
            }
            return converted;
        }

        Tensor bias() {
            long channels = target[0];
            if (op.inputs().length < 3 || op.inputs()[2] < 0) {
                return Tensor.zeros(channels);
            }
            TfliteTensor t = constant(op.inputs()[2], "bias");
            Tensor b = t.dequantize(model.source());
            if (b.data().length != channels) {
                throw misShaped(t, channels + " values");
            }
            return b.reshape(channels);
        }

        /** The constant behind an operator input, looking through a DEQUANTIZE of float16 or int8 weights. */
        private TfliteTensor constant(int index, String what) {
            TfliteTensor t = model.tensor(index);
            TfliteOperator producer = model.producerOf(index);
            if (!t.isConstant() && producer != null && producer.code() == TfliteOperator.DEQUANTIZE) {
                t = model.tensor(producer.inputs()[0]);
            }
            if (!t.isConstant()) {
                throw new WeightsException(where + ": its " + what + " tensor '" + t.name()
                        + "' is computed at run time, not stored in the file; such models cannot be imported");
            }
            return t;
        }

        private WeightsException misShaped(TfliteTensor t, String expected) {
            return new WeightsException(where + ": tensor '" + t.name() + "' " + Arrays.toString(t.shape())
                    + " should have " + expected);
        }
    }

    /** Reorders the axes of a 4-D tensor: output axis {@code a} is input axis {@code order[a]}. */
    static Tensor permute(Tensor t, int[] order) {
        long[] s = t.shape();
        int[] in = {(int) s[0], (int) s[1], (int) s[2], (int) s[3]};
        int[] inStride = {in[1] * in[2] * in[3], in[2] * in[3], in[3], 1};
        int[] out = {in[order[0]], in[order[1]], in[order[2]], in[order[3]]};
        int[] stride = {inStride[order[0]], inStride[order[1]], inStride[order[2]], inStride[order[3]]};
        float[] src = t.data();
        float[] dst = new float[src.length];
        int k = 0;
        for (int a = 0; a < out[0]; a++) {
            for (int b = 0; b < out[1]; b++) {
                for (int c = 0; c < out[2]; c++) {
                    int base = a * stride[0] + b * stride[1] + c * stride[2];
                    for (int d = 0; d < out[3]; d++) {
                        dst[k++] = src[base + d * stride[3]];
                    }
                }
            }
        }
        return new Tensor(new long[] {out[0], out[1], out[2], out[3]}, dst);
    }
}
