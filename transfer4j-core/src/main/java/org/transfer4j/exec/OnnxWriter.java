package org.transfer4j.exec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * Writes a {@link Graph} and its {@link Weights} as an ONNX model (opset 17, IR version 8) with a
 * dynamic batch dimension. The protobuf is written field by field from the schema in onnx.proto;
 * only the handful of messages a feed-forward CNN needs are used.
 */
public final class OnnxWriter {

    /** The ONNX operator set the models are written for. */
    public static final int OPSET = 17;
    private static final int IR_VERSION = 8;
    static final int FLOAT = 1;
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_INTS = 7;
    private static final String ZERO = "const_zero";
    private static final String SIX = "const_six";

    private OnnxWriter() {
    }

    /**
     * Serialises the part of {@code graph} needed for the given outputs.
     *
     * @param outputRoles which named outputs to expose ({@link Graph.Outputs}), e.g. features only
     * @return the bytes of an ONNX model file
     */
    public static byte[] write(Graph graph, Weights weights, List<String> outputRoles) {
        List<String> outputValues = valuesOf(graph, outputRoles);
        List<Node> nodes = graph.nodesFor(outputValues);
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String name : graph.parametersOf(nodes).keySet()) {
            params.put(name, weights.get(name));
        }
        return model(graph, nodes, params, outputRoles, outputValues, List.of(), null);
    }

    /**
     * Serialises the graph as an int8 QDQ model: batch norms folded into their convolutions, then
     * QuantizeLinear/DequantizeLinear pairs on the activations (per-tensor scales from the calibration, or
     * the weights file's own) and DequantizeLinear on int8 weights (per output channel; the file's own
     * integers when it stored some) and int32 biases, the pattern that ONNX Runtime's graph optimizer
     * turns into QLinearConv, QGemm and other int8 kernels. The named outputs stay float, and so does
     * every part of the graph the calibration has no ranges for (a head trained on the int8 features).
     *
     * @param calibration activation ranges for the values {@link #quantizedValues} names
     */
    public static byte[] writeInt8(Graph graph, Weights weights, List<String> outputRoles, Calibration calibration) {
        List<String> outputValues = valuesOf(graph, outputRoles);
        BatchNormFolding.Folded net = BatchNormFolding.fold(graph, weights, outputValues);
        QdqPlan plan = new QdqPlan(net.nodes(), net.params(), outputValues, calibration, weights);
        return model(graph, net.nodes(), net.params(), outputRoles, outputValues, List.of(), plan);
    }

    /**
     * The float model that calibration runs: the int8 model's network (batch norms folded) with every
     * value that the int8 model quantizes as an extra output of the same name.
     */
    public static byte[] writeForCalibration(Graph graph, Weights weights, List<String> outputRoles) {
        List<String> outputValues = valuesOf(graph, outputRoles);
        BatchNormFolding.Folded net = BatchNormFolding.fold(graph, weights, outputValues);
        return model(graph, net.nodes(), net.params(), outputRoles, outputValues,
                QdqPlan.quantizedValues(net.nodes(), outputValues), null);
    }

    /** The values an int8 model of these outputs quantizes: what {@link Calibration} must give a range for. */
    public static List<String> quantizedValues(Graph graph, Weights weights, List<String> outputRoles) {
        List<String> outputValues = valuesOf(graph, outputRoles);
        return QdqPlan.quantizedValues(BatchNormFolding.fold(graph, weights, outputValues).nodes(), outputValues);
    }

    private static List<String> valuesOf(Graph graph, List<String> roles) {
        List<String> values = new ArrayList<>();
        for (String role : roles) {
            values.add(graph.output(role));
        }
        return values;
    }

    private static byte[] model(Graph graph, List<Node> nodes, Map<String, Tensor> params, List<String> outputRoles,
                                List<String> outputValues, List<String> extraOutputs, QdqPlan plan) {
        UnaryOperator<String> rename = plan == null ? UnaryOperator.identity() : plan::rename;
        OnnxProto g = new OnnxProto();
        g.string(2, graph.name());
        if (plan != null) {
            plan.nodesAfter(Graph.INPUT).forEach(n -> g.message(1, n));
        }
        for (Node node : nodes) {
            if (plan != null) {
                plan.weightNodes(node).forEach(n -> g.message(1, n));
            }
            for (OnnxProto n : nodeProtos(node, rename)) {
                g.message(1, n);
            }
            if (plan != null) {
                plan.nodesAfter(node.output()).forEach(n -> g.message(1, n));
            }
        }
        for (int i = 0; i < outputRoles.size(); i++) {
            g.message(1, new OnnxProto().string(1, rename.apply(outputValues.get(i))).string(2, outputRoles.get(i))
                    .string(3, "output_" + outputRoles.get(i)).string(4, "Identity"));
        }
        if (plan != null) {
            plan.initializers().forEach(t -> g.message(5, t));
        } else {
            params.forEach((name, t) -> g.message(5, tensor(name, t)));
        }
        if (nodes.stream().anyMatch(n -> n.op() == Op.RELU6)) {
            g.message(5, tensor(ZERO, new Tensor(new long[0], new float[] {0f})));
            g.message(5, tensor(SIX, new Tensor(new long[0], new float[] {6f})));
        }
        g.message(11, valueInfo(Graph.INPUT, "N", 3, graph.inputSize(), graph.inputSize()));
        for (int i = 0; i < outputRoles.size(); i++) {
            g.message(12, valueInfo(outputRoles.get(i), "N", graph.width(outputRoles.get(i))));
        }
        for (String value : extraOutputs) {
            g.message(12, valueInfo(value, "N", graph.shapeOf(value)));
        }

        OnnxProto model = new OnnxProto();
        model.int64(1, IR_VERSION);
        model.string(2, "transfer4j");
        model.message(7, g);
        model.message(8, new OnnxProto().string(1, "").int64(2, OPSET));
        return model.bytes();
    }

    private static List<OnnxProto> nodeProtos(Node n, UnaryOperator<String> rename) {
        List<String> in = new ArrayList<>(n.inputs().stream().map(rename).toList());
        Node.Attributes a = n.attributes();
        List<OnnxProto> out = new ArrayList<>();
        switch (n.op()) {
            case CONV -> {
                in.add(rename.apply(n.param("weight")));
                if (a.hasBias()) {
                    in.add(rename.apply(n.param("bias")));
                }
                out.add(node("Conv", n, in, n.output())
                        .message(5, ints("kernel_shape", a.kernel()))
                        .message(5, ints("strides", a.stride()))
                        .message(5, ints("pads", a.pads()))
                        .message(5, attrInt("group", a.groups())));
            }
            case BATCH_NORM -> {
                for (String p : List.of("weight", "bias", "running_mean", "running_var")) {
                    in.add(rename.apply(n.param(p)));
                }
                out.add(node("BatchNormalization", n, in, n.output())
                        .message(5, attrFloat("epsilon", a.alpha())));
            }
            case RELU -> out.add(node("Relu", n, in, n.output()));
            case DROPOUT -> out.add(node("Identity", n, in, n.output()));
            case RELU6 -> {
                in.add(ZERO);
                in.add(SIX);
                out.add(node("Clip", n, in, n.output()));
            }
            case LEAKY_RELU -> out.add(node("LeakyRelu", n, in, n.output())
                    .message(5, attrFloat("alpha", a.alpha())));
            case SIGMOID -> out.add(node("Sigmoid", n, in, n.output()));
            case HARD_SWISH -> out.add(node("HardSwish", n, in, n.output()));
            case HARD_SIGMOID -> out.add(node("HardSigmoid", n, in, n.output())
                    .message(5, attrFloat("alpha", 1f / 6f))
                    .message(5, attrFloat("beta", 0.5f)));
            case SILU -> {
                String gate = n.output() + "_sigmoid";
                out.add(new OnnxProto().string(1, in.get(0)).string(2, gate).string(3, n.name() + "_sigmoid")
                        .string(4, "Sigmoid"));
                out.add(node("Mul", n, List.of(in.get(0), gate), n.output()));
            }
            case ADD -> out.add(node("Add", n, in, n.output()));
            case MUL -> out.add(node("Mul", n, in, n.output()));
            case CONCAT -> out.add(node("Concat", n, in, n.output()).message(5, attrInt("axis", 1)));
            case MAX_POOL, AVG_POOL -> {
                OnnxProto p = node(poolType(n), n, in, n.output())
                        .message(5, ints("kernel_shape", a.kernel()))
                        .message(5, ints("strides", a.stride()))
                        .message(5, ints("pads", a.pads()))
                        .message(5, attrInt("ceil_mode", a.ceilMode() ? 1 : 0));
                if (n.op() == Op.AVG_POOL) {
                    p.message(5, attrInt("count_include_pad", 1));
                }
                out.add(p);
            }
            case GLOBAL_AVG_POOL -> out.add(node("GlobalAveragePool", n, in, n.output()));
            case FLATTEN -> out.add(node("Flatten", n, in, n.output()).message(5, attrInt("axis", 1)));
            case LINEAR -> {
                in.add(rename.apply(n.param("weight")));
                if (a.hasBias()) {
                    in.add(rename.apply(n.param("bias")));
                }
                out.add(node("Gemm", n, in, n.output()).message(5, attrInt("transB", 1)));
            }
            case LOG_SOFTMAX -> out.add(node("LogSoftmax", n, in, n.output()).message(5, attrInt("axis", 1)));
            case SOFTMAX -> out.add(node("Softmax", n, in, n.output()).message(5, attrInt("axis", 1)));
            default -> throw new IllegalStateException("no ONNX mapping for " + n.op());
        }
        return out;
    }

    private static String poolType(Node n) {
        return n.op() == Op.MAX_POOL ? "MaxPool" : "AveragePool";
    }

    private static OnnxProto node(String opType, Node n, List<String> inputs, String output) {
        return node(opType, n.name() + "_" + n.output(), inputs, output);
    }

    static OnnxProto node(String opType, String name, List<String> inputs, String output) {
        OnnxProto p = new OnnxProto();
        for (String in : inputs) {
            p.string(1, in);
        }
        return p.string(2, output).string(3, name).string(4, opType);
    }

    private static OnnxProto ints(String name, int[] values) {
        OnnxProto p = new OnnxProto().string(1, name);
        for (int v : values) {
            p.int64(8, v);
        }
        return p.int64(20, ATTR_INTS);
    }

    static OnnxProto attrInt(String name, long value) {
        return new OnnxProto().string(1, name).int64(3, value).int64(20, ATTR_INT);
    }

    private static OnnxProto attrFloat(String name, float value) {
        return new OnnxProto().string(1, name).float32(2, value).int64(20, ATTR_FLOAT);
    }

    static OnnxProto tensor(String name, Tensor t) {
        OnnxProto p = new OnnxProto();
        for (long d : t.shape()) {
            p.int64(1, d);
        }
        return p.int64(2, FLOAT).string(8, name).rawFloats(9, t.data());
    }

    /** ValueInfoOnnxProto of a float tensor whose first dimension is symbolic. */
    private static OnnxProto valueInfo(String name, String batchParam, long... dims) {
        OnnxProto shape = new OnnxProto().message(1, new OnnxProto().string(2, batchParam));
        for (long d : dims) {
            shape.message(1, new OnnxProto().int64(1, d));
        }
        OnnxProto tensorType = new OnnxProto().int64(1, FLOAT).message(2, shape);
        return new OnnxProto().string(1, name).message(2, new OnnxProto().message(1, tensorType));
    }
}
