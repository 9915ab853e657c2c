package org.transfer4j.arch;

import java.util.List;

/**
 * One operation of a {@link Graph}.
 *
 * @param op what it computes
 * @param name parameter prefix for ops with parameters ({@code features.0.0}), else a unique label
 * @param inputs names of the values it reads
 * @param output name of the value it writes
 * @param attributes kernel, stride, padding and the like; {@link Attributes#NONE} when unused
 */
public record Node(Op op, String name, List<String> inputs, String output, Attributes attributes) {

    public Node {
        inputs = List.copyOf(inputs);
    }

    /** Name of a parameter of this node, e.g. {@code param("weight")}. */
    public String param(String suffix) {
        return name + "." + suffix;
    }

    /**
     * Settings of an operation.
     *
     * @param kernel kernel height and width (conv, pools)
     * @param stride stride height and width
     * @param pads padding top, left, bottom, right (TensorFlow SAME pads bottom/right more)
     * @param groups convolution groups (depthwise: groups = channels)
     * @param hasBias whether a conv or linear node has a bias parameter
     * @param ceilMode pools: round the output size up
     * @param alpha leaky ReLU slope, or batch-norm epsilon
     */
    public record Attributes(int[] kernel, int[] stride, int[] pads, int groups, boolean hasBias,
                             boolean ceilMode, float alpha) {

        public static final Attributes NONE =
                new Attributes(new int[0], new int[0], new int[0], 1, false, false, 0f);

        public static Attributes conv(int kernel, int stride, int[] pads, int groups, boolean bias) {
            return new Attributes(new int[] {kernel, kernel}, new int[] {stride, stride}, pads, groups,
                    bias, false, 0f);
        }

        public static Attributes pool(int kernel, int stride, int pad, boolean ceilMode) {
            return new Attributes(new int[] {kernel, kernel}, new int[] {stride, stride},
                    new int[] {pad, pad, pad, pad}, 1, false, ceilMode, 0f);
        }

        public static Attributes linear(boolean bias) {
            return new Attributes(new int[0], new int[0], new int[0], 1, bias, false, 0f);
        }

        public static Attributes alpha(float alpha) {
            return new Attributes(new int[0], new int[0], new int[0], 1, false, false, alpha);
        }

        /** True when the padding is the same on all four sides. */
        public boolean symmetricPads() {
            return pads[0] == pads[2] && pads[1] == pads[3];
        }
    }
}
