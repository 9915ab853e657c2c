package org.transfer4j.weights;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;

/**
 * One graph node and the Keras layer that supplies its parameters: checks that they fit (class, shapes
 * and, when the file has its configuration, stride, padding, epsilon, activation) and converts the
 * layer's tensors to the graph's names and layouts. Every failure names the file, the layer and the node.
 */
final class KerasPairing {

    /** Relative tolerance on batch-norm epsilon (the file stores it as a decimal, the graph as a float). */
    private static final double EPS_TOLERANCE = 1e-4;

    private final KerasModel model;
    private final Graph graph;
    private final KerasModel.Layer layer;
    private final Node node;
    private final String className;
    private final JsonNode config;
    private final Map<String, Tensor> unused;
    private final String where;

    KerasPairing(KerasModel model, Graph graph, KerasModel.Layer layer, Node node) {
        this.model = model;
        this.graph = graph;
        this.layer = layer;
        this.node = node;
        this.className = model.className(layer.name());
        this.config = model.config(layer.name());
        this.unused = new LinkedHashMap<>(layer.weights());
        this.where = model.source() + ": " + KerasImport.describe(model, layer) + " pairs with " + graph.name()
                + " layer " + node.name();
    }

    /** Converts the layer's tensors and puts them under the node's parameter names. */
    void addTo(Map<String, Tensor> tensors) {
        switch (node.op()) {
            case CONV -> conv(tensors);
            case BATCH_NORM -> batchNorm(tensors);
            case LINEAR -> linear(tensors);
            default -> throw new IllegalArgumentException("no Keras layer maps to a " + node.op() + " node");
        }
        if (!unused.isEmpty()) {
            throw new WeightsException(where + ": the layer has weights the graph layer does not use ("
                    + KerasImport.shapes(unused) + "); the file is of another architecture");
        }
    }

    private void conv(Map<String, Tensor> tensors) {
        long[] target = target("weight");
        boolean depthwise = node.attributes().groups() > 1 && target[1] == 1;
        if (node.attributes().groups() > 1 && !depthwise) {
            throw new WeightsException(where + ": grouped convolutions other than depthwise have no Keras form here");
        }
        String kernelName = depthwise ? "depthwise_kernel" : "kernel";
        requireClass(depthwise ? "DepthwiseConv2D" : "Conv2D", kernelName, depthwise ? "a depthwise conv" : "a conv");
        Tensor kernel = take(kernelName, 4);
        Tensor converted = depthwise ? KerasImport.depthwiseKernel(kernel) : KerasImport.convKernel(kernel);
        put(tensors, "weight", converted, kernel);
        bias(tensors);
        requireLinearActivation(false);
        if (model.hasConfig()) {
            checkGeometry();
        }
    }

    private void batchNorm(Map<String, Tensor> tensors) {
        requireClass("BatchNormalization", "moving_mean", "a batch-norm");
        long channels = target("weight")[0];
        put(tensors, "weight", optional("gamma", "scale", 1f, channels), null);
        put(tensors, "bias", optional("beta", "center", 0f, channels), null);
        put(tensors, "running_mean", take("moving_mean", 1), null);
        put(tensors, "running_var", take("moving_variance", 1), null);
        JsonNode eps = config.path("epsilon");
        float graphEps = node.attributes().alpha();
        if (eps.isNumber() && Math.abs(eps.asDouble() - graphEps) > EPS_TOLERANCE * graphEps) {
            throw new WeightsException(where + ": batch-norm epsilon " + eps.asDouble() + " in the file, " + graphEps
                    + " in the graph; build the graph in the Keras style");
        }
    }

    private void linear(Map<String, Tensor> tensors) {
        boolean conv = "Conv2D".equals(className) || className == null && layer.weights().containsKey("kernel")
                && layer.weights().get("kernel").shape().length == 4;
        if (className != null && !conv && !"Dense".equals(className)) {
            throw new WeightsException(where + ", which is a linear layer (a Dense, or a 1x1 Conv2D on pooled "
                    + "features); the file's layers are in another order or of another architecture");
        }
        Tensor kernel = take("kernel", conv ? 4 : 2);
        long[] s = kernel.shape();
        if (conv && (s[0] != 1 || s[1] != 1)) {
            throw new WeightsException(where + ": kernel " + kernel.shapeText() + " should be 1x1 to stand in for a "
                    + "linear layer");
        }
        long in = s[s.length - 2];
        long out = s[s.length - 1];
        Tensor converted = KerasImport.convKernel(kernel.reshape(1, 1, in, out)).reshape(out, in);
        put(tensors, "weight", converted, kernel);
        bias(tensors);
        requireLinearActivation(true);
    }

    private void bias(Map<String, Tensor> tensors) {
        if (node.attributes().hasBias()) {
            put(tensors, "bias", take("bias", 1), null);
        } else if (unused.containsKey("bias")) {
            throw new WeightsException(where + ": the layer has a bias, the graph layer none; the file is of "
                    + "another architecture or style");
        }
    }

    /** Stride and padding; Keras pads explicitly with a ZeroPadding2D in front of a 'valid' conv. */
    private void checkGeometry() {
        int[] stride = node.attributes().stride();
        int[] fileStride = {config.path("strides").path(0).asInt(1), config.path("strides").path(1).asInt(1)};
        if (!Arrays.equals(fileStride, stride)) {
            throw new WeightsException(where + ": stride " + KerasImport.text(fileStride) + " in the file, "
                    + KerasImport.text(stride) + " in the graph");
        }
        JsonNode dilation = config.path("dilation_rate");
        if (dilation.path(0).asInt(1) != 1 || dilation.path(1).asInt(1) != 1) {
            throw new WeightsException(where + ": dilated convolutions (" + dilation + ") are not supported");
        }
        int[] pads = new int[4];
        String inbound = model.inboundOf(layer.name());
        if (inbound != null && "ZeroPadding2D".equals(model.className(inbound))) {
            pads = zeroPadding(model.config(inbound).path("padding"));
        }
        String padding = config.path("padding").asText("valid");
        long[] in = graph.shapeOf(node.inputs().get(0));
        int kernel = node.attributes().kernel()[0];
        if (padding.equals("same")) {
            for (int axis = 0; axis < 2; axis++) {
                long size = in[1 + axis] + pads[axis] + pads[axis + 2];
                long out = (size + stride[axis] - 1) / stride[axis];
                int total = (int) Math.max((out - 1) * stride[axis] + kernel - size, 0);
                pads[axis] += total / 2;
                pads[axis + 2] += total - total / 2;
            }
        } else if (!padding.equals("valid")) {
            throw new WeightsException(where + ": padding '" + padding + "' is not 'same' or 'valid'");
        }
        if (!Arrays.equals(pads, node.attributes().pads())) {
            throw new WeightsException(where + ": padding (top, left, bottom, right) " + KerasImport.text(pads)
                    + " in the file, " + KerasImport.text(node.attributes().pads()) + " in the graph for input "
                    + Arrays.toString(in) + "; the input size or architecture differs");
        }
    }

    /** ZeroPadding2D's {@code padding}: n, [h, w] or [[top, bottom], [left, right]], as top, left, bottom, right. */
    private static int[] zeroPadding(JsonNode p) {
        if (p.isInt()) {
            return new int[] {p.asInt(), p.asInt(), p.asInt(), p.asInt()};
        }
        if (p.path(0).isInt()) {
            return new int[] {p.get(0).asInt(), p.get(1).asInt(), p.get(0).asInt(), p.get(1).asInt()};
        }
        return new int[] {p.path(0).path(0).asInt(), p.path(1).path(0).asInt(), p.path(0).path(1).asInt(),
            p.path(1).path(1).asInt()};
    }

    /** The layer's class must be {@code expected}; in a weights-only file, it must hold {@code weight}. */
    private void requireClass(String expected, String weight, String what) {
        boolean ok = className != null ? className.equals(expected) : layer.weights().containsKey(weight);
        if (!ok) {
            throw new WeightsException(where + ", which is " + what + " (" + expected + "); the file's layers are in "
                    + "another order or of another architecture");
        }
    }

    /** Activations are separate layers in the graph; only a classifier may end in softmax. */
    private void requireLinearActivation(boolean softmaxAllowed) {
        String activation = config.path("activation").asText("linear");
        if (!activation.equals("linear") && !(softmaxAllowed && activation.equals("softmax"))) {
            throw new WeightsException(where + ": the layer applies activation '" + activation
                    + "' itself, which the graph does not; build the model with separate activation layers");
        }
    }

    private Tensor take(String name, int rank) {
        Tensor t = unused.remove(name);
        if (t == null) {
            throw new WeightsException(where + ": the layer has no '" + name + "' weight (it has "
                    + KerasImport.shapes(layer.weights()) + ")");
        }
        if (t.shape().length != rank) {
            throw new WeightsException(where + ": '" + name + "' " + t.shapeText() + " should have " + rank
                    + " dimensions");
        }
        return t;
    }

    /** gamma or beta, or a constant when the layer was built with {@code scale}/{@code center} off. */
    private Tensor optional(String name, String flag, float constant, long channels) {
        if (!unused.containsKey(name) && config.path(flag).isBoolean() && !config.path(flag).asBoolean()) {
            float[] values = new float[Math.toIntExact(channels)];
            Arrays.fill(values, constant);
            return new Tensor(new long[] {channels}, values);
        }
        return take(name, 1);
    }

    private void put(Map<String, Tensor> tensors, String param, Tensor value, Tensor original) {
        long[] target = target(param);
        if (!Arrays.equals(value.shape(), target)) {
            throw new WeightsException(where + ": " + param + " " + (original == null ? value : original).shapeText()
                    + " in the file does not fit " + Arrays.toString(target) + " in the graph"
                    + (original == null ? "" : " (after layout conversion: " + value.shapeText() + ")"));
        }
        tensors.put(node.param(param), value);
    }

    private long[] target(String param) {
        long[] t = graph.parameters().get(node.param(param));
        if (t == null) {
            throw new IllegalArgumentException(graph.name() + " has no parameter " + node.param(param));
        }
        return t;
    }

    static boolean isParametric(Node n) {
        return n.op() == Op.CONV || n.op() == Op.BATCH_NORM || n.op() == Op.LINEAR;
    }
}
