package org.transfer4j.arch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transfer4j.arch.Node.Attributes;

/**
 * Builds a {@link Graph} layer by layer, tracking every value's shape so that architectures read like
 * their PyTorch definitions: {@code x = b.relu(b.bn("bn1", b.conv("conv1", x, 64, 7, 2, 3)))}.
 * Parameter names are the prefixes given (torchvision's state-dict keys); values get fresh names.
 */
public final class GraphBuilder {

    private final String name;
    private final int inputSize;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, long[]> parameters = new LinkedHashMap<>();
    private final Map<String, String> outputs = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();
    private int counter;

    /** Starts a graph whose input is an [N, 3, inputSize, inputSize] batch. */
    public GraphBuilder(String name, int inputSize) {
        this.name = name;
        this.inputSize = inputSize;
        shapes.put(Graph.INPUT, new long[] {3, inputSize, inputSize});
    }

    /** Continues an existing graph (to put a new head on a backbone). */
    public static GraphBuilder extend(Graph graph, String newName) {
        GraphBuilder b = new GraphBuilder(newName, graph.inputSize());
        b.nodes.addAll(graph.nodes());
        b.parameters.putAll(graph.parameters());
        for (Node n : graph.nodes()) {
            b.shapes.put(n.output(), graph.shapeOf(n.output()));
        }
        b.counter = graph.nodes().size();
        return b;
    }

    /** The graph's input value. */
    public String input() {
        return Graph.INPUT;
    }

    /** Shape of a value for one image: [C, H, W], or [F] once flattened. */
    public long[] shape(String value) {
        long[] s = shapes.get(value);
        if (s == null) {
            throw new IllegalArgumentException("unknown value " + value);
        }
        return s;
    }

    /** Channels of an image-shaped value, or width of a flat one. */
    public int channels(String value) {
        return (int) shape(value)[0];
    }

    /** Convolution with symmetric padding and no bias (torchvision's conv + batch-norm pattern). */
    public String conv(String prefix, String x, int outChannels, int kernel, int stride, int pad) {
        return conv(prefix, x, outChannels, kernel, stride, pad, 1, false);
    }

    /** Convolution with symmetric padding. */
    public String conv(String prefix, String x, int outChannels, int kernel, int stride, int pad,
                       int groups, boolean bias) {
        return conv(prefix, x, outChannels, kernel, stride, new int[] {pad, pad, pad, pad}, groups, bias);
    }

    /**
     * Convolution with TensorFlow's "SAME" padding: output size ceil(in / stride), the odd pixel of
     * padding at the bottom and right.
     */
    public String convSame(String prefix, String x, int outChannels, int kernel, int stride,
                           int groups, boolean bias) {
        long[] s = shape(x);
        int[] pads = new int[4];
        for (int axis = 0; axis < 2; axis++) {
            int in = (int) s[1 + axis];
            int out = (in + stride - 1) / stride;
            int total = Math.max((out - 1) * stride + kernel - in, 0);
            pads[axis] = total / 2;
            pads[axis + 2] = total - total / 2;
        }
        return conv(prefix, x, outChannels, kernel, stride, pads, groups, bias);
    }

    private String conv(String prefix, String x, int outChannels, int kernel, int stride, int[] pads,
                        int groups, boolean bias) {
        long[] s = shape(x);
        int in = (int) s[0];
        if (in % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(prefix + ": channels " + in + "->" + outChannels
                    + " not divisible by groups " + groups);
        }
        param(prefix + ".weight", outChannels, in / groups, kernel, kernel);
        if (bias) {
            param(prefix + ".bias", outChannels);
        }
        long h = (s[1] + pads[0] + pads[2] - kernel) / stride + 1;
        long w = (s[2] + pads[1] + pads[3] - kernel) / stride + 1;
        return add(Op.CONV, prefix, List.of(x), Attributes.conv(kernel, stride, pads, groups, bias),
                new long[] {outChannels, h, w});
    }

    /** Batch normalisation with PyTorch's default epsilon 1e-5. */
    public String bn(String prefix, String x) {
        return bn(prefix, x, 1e-5f);
    }

    /** Batch normalisation with the given epsilon (TensorFlow models use 1e-3). */
    public String bn(String prefix, String x, float eps) {
        int c = channels(x);
        for (String p : List.of("weight", "bias", "running_mean", "running_var")) {
            param(prefix + "." + p, c);
        }
        return add(Op.BATCH_NORM, prefix, List.of(x), Attributes.alpha(eps), shape(x));
    }

    public String relu(String x) {
        return unary(Op.RELU, x);
    }

    public String relu6(String x) {
        return unary(Op.RELU6, x);
    }

    public String leakyRelu(String x, float slope) {
        return add(Op.LEAKY_RELU, fresh("leaky"), List.of(x), Attributes.alpha(slope), shape(x));
    }

    public String sigmoid(String x) {
        return unary(Op.SIGMOID, x);
    }

    public String hardSwish(String x) {
        return unary(Op.HARD_SWISH, x);
    }

    public String hardSigmoid(String x) {
        return unary(Op.HARD_SIGMOID, x);
    }

    public String silu(String x) {
        return unary(Op.SILU, x);
    }

    /** Element-wise a + b; the shapes must match. */
    public String add(String a, String b) {
        requireSameShape(a, b);
        return add(Op.ADD, fresh("add"), List.of(a, b), Attributes.NONE, shape(a));
    }

    /** x · scale, where scale is [C, 1, 1] (squeeze-excitation) or x's own shape. */
    public String mul(String x, String scale) {
        if (shape(scale)[0] != shape(x)[0]) {
            throw new IllegalArgumentException("mul: channels differ");
        }
        return add(Op.MUL, fresh("mul"), List.of(x, scale), Attributes.NONE, shape(x));
    }

    /** Concatenation along channels. */
    public String concat(List<String> values) {
        long[] first = shape(values.get(0));
        long c = 0;
        for (String v : values) {
            long[] s = shape(v);
            if (s[1] != first[1] || s[2] != first[2]) {
                throw new IllegalArgumentException("concat: spatial sizes differ");
            }
            c += s[0];
        }
        return add(Op.CONCAT, fresh("concat"), values, Attributes.NONE, new long[] {c, first[1], first[2]});
    }

    public String maxPool(String x, int kernel, int stride, int pad, boolean ceilMode) {
        return pool(Op.MAX_POOL, x, kernel, stride, pad, ceilMode);
    }

    public String avgPool(String x, int kernel, int stride, int pad) {
        return pool(Op.AVG_POOL, x, kernel, stride, pad, false);
    }

    private String pool(Op op, String x, int kernel, int stride, int pad, boolean ceilMode) {
        long[] s = shape(x);
        long[] out = new long[] {s[0], poolSize(s[1], kernel, stride, pad, ceilMode),
                poolSize(s[2], kernel, stride, pad, ceilMode)};
        return add(op, fresh(op.name().toLowerCase()), List.of(x), Attributes.pool(kernel, stride, pad, ceilMode), out);
    }

    private static long poolSize(long in, int kernel, int stride, int pad, boolean ceilMode) {
        long span = in + 2L * pad - kernel;
        long out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceilMode && (out - 1) * stride >= in + pad) {
            out--;  // PyTorch: the last window must start inside the input or left padding
        }
        return out;
    }

    /** Mean over H and W; the result is [C, 1, 1]. */
    public String globalAvgPool(String x) {
        return add(Op.GLOBAL_AVG_POOL, fresh("gap"), List.of(x), Attributes.NONE,
                new long[] {shape(x)[0], 1, 1});
    }

    /** [C, H, W] to [C·H·W]. */
    public String flatten(String x) {
        long n = 1;
        for (long d : shape(x)) {
            n *= d;
        }
        return add(Op.FLATTEN, fresh("flatten"), List.of(x), Attributes.NONE, new long[] {n});
    }

    /** Fully connected layer on a flat value. */
    public String linear(String prefix, String x, int outFeatures, boolean bias) {
        long[] s = shape(x);
        if (s.length != 1) {
            throw new IllegalArgumentException(prefix + ": linear needs a flat input, flatten first");
        }
        param(prefix + ".weight", outFeatures, s[0]);
        if (bias) {
            param(prefix + ".bias", outFeatures);
        }
        return add(Op.LINEAR, prefix, List.of(x), Attributes.linear(bias), new long[] {outFeatures});
    }

    /** Dropout of a share of the values while training (the identity at inference and in ONNX). */
    public String dropout(String x, float rate) {
        return add(Op.DROPOUT, fresh("dropout"), List.of(x), Attributes.alpha(rate), shape(x));
    }

    public String logSoftmax(String x) {
        return unary(Op.LOG_SOFTMAX, x);
    }

    public String softmax(String x) {
        return unary(Op.SOFTMAX, x);
    }

    /** Marks a value as a named output ({@link Graph.Outputs}). */
    public GraphBuilder output(String role, String value) {
        shape(value);
        outputs.put(role, value);
        return this;
    }

    public Graph build() {
        if (!outputs.containsKey(Graph.Outputs.FEATURES)) {
            throw new IllegalStateException(name + ": no features output marked");
        }
        return new Graph(name, inputSize, nodes, parameters, outputs, shapes);
    }

    private String unary(Op op, String x) {
        return add(op, fresh(op.name().toLowerCase()), List.of(x), Attributes.NONE, shape(x));
    }

    private void requireSameShape(String a, String b) {
        if (!java.util.Arrays.equals(shape(a), shape(b))) {
            throw new IllegalArgumentException("shapes differ: " + java.util.Arrays.toString(shape(a))
                    + " vs " + java.util.Arrays.toString(shape(b)));
        }
    }

    private void param(String key, long... shape) {
        if (parameters.put(key, shape) != null) {
            throw new IllegalArgumentException("parameter defined twice: " + key);
        }
    }

    private String fresh(String label) {
        return label + "_" + counter;
    }

    private String add(Op op, String nodeName, List<String> inputs, Attributes attrs, long[] outShape) {
        for (String in : inputs) {
            shape(in);
        }
        String out = "v" + (counter++);
        shapes.put(out, outShape);
        nodes.add(new Node(op, nodeName, inputs, out, attrs));
        return out;
    }
}
