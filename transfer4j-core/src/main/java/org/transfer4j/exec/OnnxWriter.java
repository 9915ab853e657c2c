package org.transfer4j.exec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static final int FLOAT = 1;
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
        List<String> outputValues = new ArrayList<>();
        for (String role : outputRoles) {
            outputValues.add(graph.output(role));
        }
        List<Node> nodes = graph.nodesFor(outputValues);
        Map<String, long[]> params = graph.parametersOf(nodes);

        Proto g = new Proto();
        g.string(2, graph.name());
        for (Node node : nodes) {
            for (Proto n : nodeProtos(node)) {
                g.message(1, n);
            }
        }
        for (int i = 0; i < outputRoles.size(); i++) {
            g.message(1, new Proto().string(1, outputValues.get(i)).string(2, outputRoles.get(i))
                    .string(3, "output_" + outputRoles.get(i)).string(4, "Identity"));
        }
        for (String name : params.keySet()) {
            g.message(5, tensor(name, weights.get(name)));
        }
        if (nodes.stream().anyMatch(n -> n.op() == Op.RELU6)) {
            g.message(5, tensor(ZERO, new Tensor(new long[0], new float[] {0f})));
            g.message(5, tensor(SIX, new Tensor(new long[0], new float[] {6f})));
        }
        g.message(11, valueInfo(Graph.INPUT, "N", 3, graph.inputSize(), graph.inputSize()));
        for (int i = 0; i < outputRoles.size(); i++) {
            g.message(12, valueInfo(outputRoles.get(i), "N", graph.width(outputRoles.get(i))));
        }

        Proto model = new Proto();
        model.int64(1, IR_VERSION);
        model.string(2, "transfer4j");
        model.message(7, g);
        model.message(8, new Proto().string(1, "").int64(2, OPSET));
        return model.bytes();
    }

    private static List<Proto> nodeProtos(Node n) {
        List<String> in = new ArrayList<>(n.inputs());
        Node.Attributes a = n.attributes();
        List<Proto> out = new ArrayList<>();
        switch (n.op()) {
            case CONV -> {
                in.add(n.param("weight"));
                if (a.hasBias()) {
                    in.add(n.param("bias"));
                }
                out.add(node("Conv", n, in, n.output())
                        .message(5, ints("kernel_shape", a.kernel()))
                        .message(5, ints("strides", a.stride()))
                        .message(5, ints("pads", a.pads()))
                        .message(5, attrInt("group", a.groups())));
            }
            case BATCH_NORM -> {
                for (String p : List.of("weight", "bias", "running_mean", "running_var")) {
                    in.add(n.param(p));
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
                out.add(new Proto().string(1, in.get(0)).string(2, gate).string(3, n.name() + "_sigmoid")
                        .string(4, "Sigmoid"));
                out.add(node("Mul", n, List.of(in.get(0), gate), n.output()));
            }
            case ADD -> out.add(node("Add", n, in, n.output()));
            case MUL -> out.add(node("Mul", n, in, n.output()));
            case CONCAT -> out.add(node("Concat", n, in, n.output()).message(5, attrInt("axis", 1)));
            case MAX_POOL, AVG_POOL -> {
                Proto p = node(poolType(n), n, in, n.output())
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
                in.add(n.param("weight"));
                if (a.hasBias()) {
                    in.add(n.param("bias"));
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

    private static Proto node(String opType, Node n, List<String> inputs, String output) {
        Proto p = new Proto();
        for (String in : inputs) {
            p.string(1, in);
        }
        return p.string(2, output).string(3, n.name() + "_" + n.output()).string(4, opType);
    }

    private static Proto ints(String name, int[] values) {
        Proto p = new Proto().string(1, name);
        for (int v : values) {
            p.int64(8, v);
        }
        return p.int64(20, ATTR_INTS);
    }

    private static Proto attrInt(String name, long value) {
        return new Proto().string(1, name).int64(3, value).int64(20, ATTR_INT);
    }

    private static Proto attrFloat(String name, float value) {
        return new Proto().string(1, name).float32(2, value).int64(20, ATTR_FLOAT);
    }

    private static Proto tensor(String name, Tensor t) {
        Proto p = new Proto();
        for (long d : t.shape()) {
            p.int64(1, d);
        }
        return p.int64(2, FLOAT).string(8, name).rawFloats(9, t.data());
    }

    /** ValueInfoProto of a float tensor whose first dimension is symbolic. */
    private static Proto valueInfo(String name, String batchParam, long... dims) {
        Proto shape = new Proto().message(1, new Proto().string(2, batchParam));
        for (long d : dims) {
            shape.message(1, new Proto().int64(1, d));
        }
        Proto tensorType = new Proto().int64(1, FLOAT).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /**
     * A protobuf message under construction, kept as a tree and serialised once into an array of the
     * exact size: a 500 MB VGG model is copied once, not once per nesting level.
     */
    private static final class Proto {
        private final List<Object[]> fields = new ArrayList<>();
        private int size = -1;

        Proto int64(int field, long value) {
            fields.add(new Object[] {field, value});
            return this;
        }

        Proto float32(int field, float value) {
            fields.add(new Object[] {field, value});
            return this;
        }

        Proto string(int field, String value) {
            fields.add(new Object[] {field, value});
            return this;
        }

        /** Little-endian float32 values as one bytes field (a tensor's raw_data). */
        Proto rawFloats(int field, float[] values) {
            fields.add(new Object[] {field, values});
            return this;
        }

        Proto message(int field, Proto child) {
            fields.add(new Object[] {field, child});
            return this;
        }

        int size() {
            if (size < 0) {
                long n = 0;
                for (Object[] f : fields) {
                    int field = (Integer) f[0];
                    Object v = f[1];
                    if (v instanceof Long l) {
                        n += CodedOutputStream.computeInt64Size(field, l);
                    } else if (v instanceof Float x) {
                        n += CodedOutputStream.computeFloatSize(field, x);
                    } else if (v instanceof String str) {
                        n += CodedOutputStream.computeStringSize(field, str);
                    } else if (v instanceof float[] a) {
                        n += CodedOutputStream.computeTagSize(field) + lengthDelimited(4L * a.length);
                    } else {
                        n += CodedOutputStream.computeTagSize(field) + lengthDelimited(((Proto) v).size());
                    }
                }
                if (n > Integer.MAX_VALUE) {
                    throw new IllegalStateException("ONNX protobuf over 2 GB; external data is not supported");
                }
                size = (int) n;
            }
            return size;
        }

        private static long lengthDelimited(long length) {
            return CodedOutputStream.computeUInt32SizeNoTag((int) length) + length;
        }

        void writeTo(CodedOutputStream out) throws IOException {
            for (Object[] f : fields) {
                int field = (Integer) f[0];
                Object v = f[1];
                if (v instanceof Long l) {
                    out.writeInt64(field, l);
                } else if (v instanceof Float x) {
                    out.writeFloat(field, x);
                } else if (v instanceof String str) {
                    out.writeString(field, str);
                } else if (v instanceof float[] a) {
                    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(4 * a.length);
                    for (float x : a) {
                        out.writeFixed32NoTag(Float.floatToRawIntBits(x));
                    }
                } else {
                    Proto child = (Proto) v;
                    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(child.size());
                    child.writeTo(out);
                }
            }
        }

        byte[] bytes() {
            byte[] array = new byte[size()];
            CodedOutputStream out = CodedOutputStream.newInstance(array);
            try {
                writeTo(out);
                out.checkNoSpaceLeft();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return array;
        }
    }
}
