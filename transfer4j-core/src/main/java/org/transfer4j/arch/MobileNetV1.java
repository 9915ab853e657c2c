package org.transfer4j.arch;

import org.transfer4j.arch.Graph.Outputs;

/**
 * MobileNetV1 (Howard et al., 2017): a 3×3 stem and 13 depthwise-separable blocks, with a width
 * multiplier {@code alpha} and any input size. torchvision has no MobileNetV1, so parameters are named
 * in timm's style ({@code conv_stem}, {@code bn1}, {@code blocks.3.0.conv_dw}, {@code blocks.3.0.bn1},
 * {@code blocks.3.0.conv_pw}, {@code blocks.3.0.bn2}, {@code classifier}); in
 * {@link ConvStyle#TENSORFLOW} style (the TensorFlow Lite files: batch-norm folded into conv biases,
 * SAME padding, 1001 classes with background at index 0) only the conv names remain; in
 * {@link ConvStyle#KERAS} style (Keras applications' {@code MobileNet}: SAME padding, batch-norm
 * separate with epsilon 1e-3, 1000 classes) the names are timm's.
 */
public final class MobileNetV1 {

    /** Per stage: output channels at alpha 1, blocks, stride of the first block (paper, Table 1). */
    private static final int[][] STAGES = {
        {64, 1, 1},
        {128, 2, 2},
        {256, 2, 2},
        {512, 6, 2},
        {1024, 2, 2},
    };
    private static final int STEM_CHANNELS = 32;
    /** TensorFlow slim's {@code min_depth}: no layer gets fewer channels. */
    private static final int MIN_CHANNELS = 8;

    private MobileNetV1() {
    }

    /**
     * A TensorFlow Lite MobileNetV1 with its ImageNet classifier: 1001 classes, index 0 = background.
     *
     * @param alpha width multiplier (1.0, 0.75, 0.5, 0.25)
     * @param inputSize input height and width (224, 192, 160, 128)
     */
    public static Graph tensorflow(double alpha, int inputSize) {
        return build(tensorflowName(alpha, inputSize), ConvStyle.TENSORFLOW, alpha, inputSize, 1001);
    }

    /** A TensorFlow Lite MobileNetV1 without classifier (the Coral embedding extractor): features only. */
    public static Graph tensorflowFeatures(double alpha, int inputSize) {
        return build(tensorflowName(alpha, inputSize) + "_features", ConvStyle.TENSORFLOW, alpha, inputSize, 0);
    }

    /** The registry name of a TensorFlow variant, e.g. {@code mobilenet_v1_0.75_192_tf}. */
    public static String tensorflowName(double alpha, int inputSize) {
        return "mobilenet_v1_" + alpha + "_" + inputSize + "_tf";
    }

    /**
     * A Keras applications MobileNet ({@code tf.keras.applications.MobileNet}) with its ImageNet
     * classifier: 1000 classes. Keras pads stride-2 depthwise convs with {@code ZeroPadding2D(((0,1),(0,1)))}
     * and a 'valid' conv, which is TensorFlow's SAME padding whenever the padded size is even, as it is
     * for the input sizes Keras publishes weights for (128, 160, 192, 224); the importer checks each layer.
     * Keras has no 8-channel floor, which makes no difference for alpha >= 0.25.
     *
     * @param alpha width multiplier (1.0, 0.75, 0.5, 0.25)
     * @param inputSize input height and width (224, 192, 160, 128)
     */
    public static Graph keras(double alpha, int inputSize) {
        return build(kerasName(alpha, inputSize), ConvStyle.KERAS, alpha, inputSize, 1000);
    }

    /** The registry name of a Keras variant, e.g. {@code mobilenet_v1_0.25_224_keras}. */
    public static String kerasName(double alpha, int inputSize) {
        return "mobilenet_v1_" + alpha + "_" + inputSize + "_keras";
    }

    /**
     * Builds any variant.
     *
     * @param numClasses classifier outputs; 0 for a backbone without classifier
     */
    public static Graph build(String name, ConvStyle style, double alpha, int inputSize, int numClasses) {
        if (!(alpha > 0) || inputSize < 32 || numClasses < 0) {
            throw new IllegalArgumentException(name + ": needs alpha > 0, input size >= 32 and classes >= 0, got "
                    + alpha + ", " + inputSize + ", " + numClasses);
        }
        GraphBuilder b = new GraphBuilder(name, inputSize);
        String x = b.relu6(style.convBn(b, "conv_stem", "bn1", b.input(), channels(STEM_CHANNELS, alpha),
                3, 2, 1));
        for (int stage = 0; stage < STAGES.length; stage++) {
            int[] s = STAGES[stage];
            for (int i = 0; i < s[1]; i++) {
                String prefix = "blocks." + stage + "." + i;
                x = separable(b, style, prefix, x, channels(s[0], alpha), i == 0 ? s[2] : 1);
            }
        }
        String features = b.flatten(b.globalAvgPool(x));
        b.output(Outputs.FEATURES, features);
        if (numClasses > 0) {
            b.output(Outputs.LOGITS, b.linear("classifier", features, numClasses, true));
        }
        return b.build();
    }

    /** Depthwise 3×3 conv + BN + ReLU6, then pointwise 1×1 conv + BN + ReLU6. */
    private static String separable(GraphBuilder b, ConvStyle style, String prefix, String x, int out,
                                    int stride) {
        int in = b.channels(x);
        String y = b.relu6(style.convBn(b, prefix + ".conv_dw", prefix + ".bn1", x, in, 3, stride, in));
        return b.relu6(style.convBn(b, prefix + ".conv_pw", prefix + ".bn2", y, out, 1, 1, 1));
    }

    private static int channels(int base, double alpha) {
        return Math.max((int) (base * alpha), MIN_CHANNELS);
    }
}
