package org.transfer4j.weights;

import java.util.Map;

/**
 * One operator of a TensorFlow Lite subgraph, in execution order.
 *
 * @param index position in the subgraph's operator list
 * @param code builtin operator code ({@link #CONV_2D}, ...), or -1 for a custom operator
 * @param inputs tensor indices read (-1 for an omitted optional input)
 * @param outputs tensor indices written
 * @param padding {@link #SAME} or {@link #VALID} for convolutions, else -1
 * @param strideH vertical stride of a convolution (1 otherwise)
 * @param strideW horizontal stride of a convolution (1 otherwise)
 * @param activation fused activation: {@link #NONE}, {@link #RELU} or {@link #RELU6} (others by code)
 */
public record TfliteOperator(int index, int code, int[] inputs, int[] outputs, int padding, int strideH,
                             int strideW, int activation) {

    public static final int ADD = 0;
    public static final int AVERAGE_POOL_2D = 1;
    public static final int CONV_2D = 3;
    public static final int DEPTHWISE_CONV_2D = 4;
    public static final int DEQUANTIZE = 6;
    public static final int FULLY_CONNECTED = 9;
    public static final int PAD = 34;

    public static final int SAME = 0;
    public static final int VALID = 1;

    public static final int NONE = 0;
    public static final int RELU = 1;
    public static final int RELU6 = 3;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "ADD"), Map.entry(1, "AVERAGE_POOL_2D"), Map.entry(2, "CONCATENATION"),
            Map.entry(3, "CONV_2D"), Map.entry(4, "DEPTHWISE_CONV_2D"), Map.entry(6, "DEQUANTIZE"),
            Map.entry(9, "FULLY_CONNECTED"), Map.entry(14, "LOGISTIC"), Map.entry(17, "MAX_POOL_2D"),
            Map.entry(18, "MUL"), Map.entry(19, "RELU"), Map.entry(21, "RELU6"), Map.entry(22, "RESHAPE"),
            Map.entry(25, "SOFTMAX"), Map.entry(34, "PAD"), Map.entry(40, "MEAN"),
            Map.entry(43, "SQUEEZE"), Map.entry(114, "QUANTIZE"), Map.entry(117, "HARD_SWISH"));

    /** The operator's name as in the TFLite schema, e.g. {@code DEPTHWISE_CONV_2D}. */
    public String name() {
        return code < 0 ? "custom operator" : NAMES.getOrDefault(code, "builtin operator " + code);
    }

    /** Whether this operator applies a convolution or fully connected layer with weights. */
    public boolean hasWeights() {
        return code == CONV_2D || code == DEPTHWISE_CONV_2D || code == FULLY_CONNECTED;
    }

    /** Fused activation as a word, for messages. */
    public String activationName() {
        return switch (activation) {
            case NONE -> "none";
            case RELU -> "RELU";
            case RELU6 -> "RELU6";
            default -> "activation " + activation;
        };
    }

    /** Short description for messages: {@code operator 12 (CONV_2D)}. */
    public String describe() {
        return "operator " + index + " (" + name() + ")";
    }
}
