package org.transfer4j.arch;

/**
 * How an architecture's conv + batch-norm units are written down: torchvision's way (conv without
 * bias, separate batch-norm, symmetric padding), the way TensorFlow Lite files store them (batch-norm
 * folded into a conv bias, "SAME" padding), the way Keras applications build them ("SAME" padding,
 * conv without bias, separate batch-norm with Keras's epsilon), or torchvision's with batch-norm folded
 * into a conv bias (symmetric padding, torchvision's conv names), as PyTorch's quantized models fuse
 * them. One architecture file serves all four.
 */
public enum ConvStyle {
    TORCHVISION,
    TENSORFLOW,
    KERAS,
    TORCHVISION_FOLDED;

    /** Keras's {@code BatchNormalization} default epsilon. */
    static final float KERAS_BN_EPS = 1e-3f;

    /**
     * A conv followed by batch-norm, no activation. Parameters: {@code prefix.0} (conv) and
     * {@code prefix.1} (batch-norm) in torchvision style; {@code prefix.0} with a bias when folded
     * (TensorFlow and torchvision-folded styles).
     */
    String convBn(GraphBuilder b, String prefix, String x, int out, int kernel, int stride, int groups) {
        return convBn(b, prefix + ".0", prefix + ".1", x, out, kernel, stride, groups);
    }

    /** As {@link #convBn(GraphBuilder, String, String, int, int, int, int)} with explicit names. */
    String convBn(GraphBuilder b, String convName, String bnName, String x, int out, int kernel,
                  int stride, int groups) {
        if (this == TENSORFLOW) {
            return b.convSame(convName, x, out, kernel, stride, groups, true);
        }
        if (this == TORCHVISION_FOLDED) {
            return b.conv(convName, x, out, kernel, stride, (kernel - 1) / 2, groups, true);
        }
        if (this == KERAS) {
            return b.bn(bnName, b.convSame(convName, x, out, kernel, stride, groups, false), KERAS_BN_EPS);
        }
        String y = b.conv(convName, x, out, kernel, stride, (kernel - 1) / 2, groups, false);
        return b.bn(bnName, y);
    }
}
