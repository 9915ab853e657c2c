package org.transfer4j.arch;

/**
 * How an architecture's conv + batch-norm units are written down: torchvision's way (conv without
 * bias, separate batch-norm, symmetric padding) or the way TensorFlow Lite files store them (batch-norm
 * folded into a conv bias, "SAME" padding). One architecture file serves both.
 */
public enum ConvStyle {
    TORCHVISION,
    TENSORFLOW;

    /**
     * A conv followed by batch-norm, no activation. Parameters: {@code prefix.0} (conv) and
     * {@code prefix.1} (batch-norm) in torchvision style; {@code prefix.0} with a bias when folded.
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
        String y = b.conv(convName, x, out, kernel, stride, (kernel - 1) / 2, groups, false);
        return b.bn(bnName, y);
    }
}
