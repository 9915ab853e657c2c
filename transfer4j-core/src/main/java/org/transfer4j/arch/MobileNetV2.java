package org.transfer4j.arch;

import org.transfer4j.arch.Graph.Outputs;

/**
 * MobileNetV2 (Sandler et al., 2018), as torchvision's {@code mobilenet_v2} and, in
 * {@link ConvStyle#TENSORFLOW} style, as the TensorFlow Lite MobileNetV2 1.0/224 files store it
 * (batch-norm folded, SAME padding, 1001 classes with background at index 0), and in
 * {@link ConvStyle#TORCHVISION_FOLDED} style as torchvision's quantized MobileNetV2 stores it (each conv
 * fused with its batch-norm into a conv with a bias, under the conv's torchvision name).
 *
 * <p>torchvision's quantizable MobileNetV2 swaps ReLU6 for ReLU before quantizing, and its int8
 * activations are clipped by their quantization range instead (below 6 for 31 of its 35 ReLUs, up to
 * 17.7 for the others). The folded variant keeps torchvision's ReLU6, so a float torchvision state dict
 * made from the same weights computes the same features.
 */
public final class MobileNetV2 {

    /** Expansion t, output channels c, repeats n, first stride s: the paper's Table 2. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1},
        {6, 24, 2, 2},
        {6, 32, 3, 2},
        {6, 64, 4, 2},
        {6, 96, 3, 1},
        {6, 160, 3, 2},
        {6, 320, 1, 1},
    };
    private static final int LAST_CHANNELS = 1280;

    private MobileNetV2() {
    }

    /** torchvision's mobilenet_v2: 224×224 input, 1000 classes. */
    public static Graph torchvision() {
        return build("mobilenet_v2", ConvStyle.TORCHVISION, 224, 1000);
    }

    /** The TensorFlow Lite MobileNetV2 1.0/224: 1001 classes, index 0 = background. */
    public static Graph tensorflow() {
        return build("mobilenet_v2_tf", ConvStyle.TENSORFLOW, 224, 1001);
    }

    /**
     * torchvision's mobilenet_v2 with every batch-norm folded into its conv: parameters
     * {@code features.0.0.weight}/{@code .bias}, {@code features.1.conv.1.weight}/{@code .bias}, ...
     */
    public static Graph torchvisionFolded() {
        return build("mobilenet_v2_folded", ConvStyle.TORCHVISION_FOLDED, 224, 1000);
    }

    static Graph build(String name, ConvStyle style, int inputSize, int numClasses) {
        GraphBuilder b = new GraphBuilder(name, inputSize);
        String x = b.relu6(style.convBn(b, "features.0", b.input(), 32, 3, 2, 1));
        int index = 1;
        for (int[] s : SETTINGS) {
            for (int i = 0; i < s[2]; i++) {
                x = invertedResidual(b, style, "features." + index++, x, s[1], i == 0 ? s[3] : 1, s[0]);
            }
        }
        x = b.relu6(style.convBn(b, "features." + index, x, LAST_CHANNELS, 1, 1, 1));
        String features = b.flatten(b.globalAvgPool(x));
        String logits = b.linear("classifier.1", features, numClasses, true);
        return b.output(Outputs.FEATURES, features).output(Outputs.LOGITS, logits).build();
    }

    private static String invertedResidual(GraphBuilder b, ConvStyle style, String prefix, String x,
                                           int out, int stride, int expansion) {
        int in = b.channels(x);
        int hidden = in * expansion;
        String y = x;
        int layer = 0;
        if (expansion != 1) {
            y = b.relu6(style.convBn(b, prefix + ".conv." + layer++, y, hidden, 1, 1, 1));
        }
        y = b.relu6(style.convBn(b, prefix + ".conv." + layer++, y, hidden, 3, stride, hidden));
        String conv = prefix + ".conv." + layer;
        String bn = prefix + ".conv." + (layer + 1);
        y = style.convBn(b, conv, bn, y, out, 1, 1, 1);
        return stride == 1 && in == out ? b.add(x, y) : y;
    }
}
