package org.transfer4j.arch;

import java.util.List;
import org.transfer4j.arch.Graph.Outputs;

/**
 * MobileNetV3 (Howard et al., 2019) as torchvision builds it: {@code mobilenet_v3_small} and
 * {@code mobilenet_v3_large}, width 1.0, batch-norm epsilon 0.001. Blocks are
 * {@code features.N.block.K}; squeeze-excitation uses 1×1 convs {@code fc1}/{@code fc2}, ReLU and a
 * hard sigmoid. {@link Outputs#FEATURES} is the globally pooled last conv (576 or 960 values), before
 * the classifier's hidden layer {@code classifier.0} (1024 or 1280, hard-swish) and {@code classifier.3}.
 */
public final class MobileNetV3 {

    /**
     * One inverted-residual block: the rows of the paper's Tables 1 and 2.
     *
     * @param in input channels
     * @param kernel depthwise kernel size
     * @param expanded channels of the expansion
     * @param out output channels
     * @param se whether it has squeeze-excitation
     * @param hardSwish hard-swish ("HS") rather than ReLU ("RE")
     * @param stride depthwise stride
     */
    private record Bneck(int in, int kernel, int expanded, int out, boolean se, boolean hardSwish, int stride) {
    }

    private static final boolean SE = true;
    private static final boolean NO_SE = false;
    private static final boolean HS = true;
    private static final boolean RE = false;

    private static final List<Bneck> LARGE = List.of(
            new Bneck(16, 3, 16, 16, NO_SE, RE, 1),
            new Bneck(16, 3, 64, 24, NO_SE, RE, 2),
            new Bneck(24, 3, 72, 24, NO_SE, RE, 1),
            new Bneck(24, 5, 72, 40, SE, RE, 2),
            new Bneck(40, 5, 120, 40, SE, RE, 1),
            new Bneck(40, 5, 120, 40, SE, RE, 1),
            new Bneck(40, 3, 240, 80, NO_SE, HS, 2),
            new Bneck(80, 3, 200, 80, NO_SE, HS, 1),
            new Bneck(80, 3, 184, 80, NO_SE, HS, 1),
            new Bneck(80, 3, 184, 80, NO_SE, HS, 1),
            new Bneck(80, 3, 480, 112, SE, HS, 1),
            new Bneck(112, 3, 672, 112, SE, HS, 1),
            new Bneck(112, 5, 672, 160, SE, HS, 2),
            new Bneck(160, 5, 960, 160, SE, HS, 1),
            new Bneck(160, 5, 960, 160, SE, HS, 1));
    private static final int LARGE_HIDDEN = 1280;

    private static final List<Bneck> SMALL = List.of(
            new Bneck(16, 3, 16, 16, SE, RE, 2),
            new Bneck(16, 3, 72, 24, NO_SE, RE, 2),
            new Bneck(24, 3, 88, 24, NO_SE, RE, 1),
            new Bneck(24, 5, 96, 40, SE, HS, 2),
            new Bneck(40, 5, 240, 40, SE, HS, 1),
            new Bneck(40, 5, 240, 40, SE, HS, 1),
            new Bneck(40, 5, 120, 48, SE, HS, 1),
            new Bneck(48, 5, 144, 48, SE, HS, 1),
            new Bneck(48, 5, 288, 96, SE, HS, 2),
            new Bneck(96, 5, 576, 96, SE, HS, 1),
            new Bneck(96, 5, 576, 96, SE, HS, 1));
    private static final int SMALL_HIDDEN = 1024;

    private static final float BN_EPS = 1e-3f;
    private static final int IMAGE_SIZE = 224;
    private static final int CLASSES = 1000;

    private MobileNetV3() {
    }

    /** torchvision's mobilenet_v3_large: 960 features. */
    public static Graph large() {
        return build("mobilenet_v3_large", LARGE, LARGE_HIDDEN);
    }

    /** torchvision's mobilenet_v3_small: 576 features. */
    public static Graph small() {
        return build("mobilenet_v3_small", SMALL, SMALL_HIDDEN);
    }

    /**
     * torchvision's {@code _make_divisible}: the nearest multiple of {@code divisor} (at least
     * {@code divisor}), rounded up once more when rounding lost over 10%.
     */
    static int makeDivisible(double v, int divisor) {
        int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * v ? rounded + divisor : rounded;
    }

    private static Graph build(String name, List<Bneck> blocks, int hidden) {
        GraphBuilder b = new GraphBuilder(name, IMAGE_SIZE);
        String x = b.hardSwish(convBn(b, "features.0", b.input(), blocks.get(0).in(), 3, 2, 1));
        int index = 1;
        for (Bneck block : blocks) {
            x = invertedResidual(b, "features." + index++ + ".block", x, block);
        }
        x = b.hardSwish(convBn(b, "features." + index, x, 6 * b.channels(x), 1, 1, 1));
        String features = b.flatten(b.globalAvgPool(x));
        String h = b.hardSwish(b.linear("classifier.0", features, hidden, true));
        String logits = b.linear("classifier.3", h, CLASSES, true);
        return b.output(Outputs.FEATURES, features).output(Outputs.LOGITS, logits).build();
    }

    private static String invertedResidual(GraphBuilder b, String prefix, String x, Bneck c) {
        if (b.channels(x) != c.in()) {
            throw new IllegalStateException(prefix + ": table says " + c.in() + " input channels, got "
                    + b.channels(x));
        }
        String y = x;
        int layer = 0;
        if (c.expanded() != c.in()) {
            y = activation(b, c, convBn(b, prefix + "." + layer++, y, c.expanded(), 1, 1, 1));
        }
        y = activation(b, c, convBn(b, prefix + "." + layer++, y, c.expanded(), c.kernel(), c.stride(),
                c.expanded()));
        if (c.se()) {
            y = squeezeExcitation(b, prefix + "." + layer++, y, makeDivisible(c.expanded() / 4, 8));
        }
        y = convBn(b, prefix + "." + layer, y, c.out(), 1, 1, 1);
        return c.stride() == 1 && c.in() == c.out() ? b.add(y, x) : y;
    }

    /** Global average, 1×1 conv, ReLU, 1×1 conv, hard sigmoid; the result scales each channel. */
    private static String squeezeExcitation(GraphBuilder b, String prefix, String x, int squeeze) {
        String s = b.relu(b.conv(prefix + ".fc1", b.globalAvgPool(x), squeeze, 1, 1, 0, 1, true));
        s = b.hardSigmoid(b.conv(prefix + ".fc2", s, b.channels(x), 1, 1, 0, 1, true));
        return b.mul(x, s);
    }

    private static String activation(GraphBuilder b, Bneck c, String x) {
        return c.hardSwish() ? b.hardSwish(x) : b.relu(x);
    }

    /** torchvision's Conv2dNormActivation without the activation: {@code prefix.0} conv, {@code prefix.1} bn. */
    private static String convBn(GraphBuilder b, String prefix, String x, int out, int kernel, int stride,
                                 int groups) {
        String y = b.conv(prefix + ".0", x, out, kernel, stride, (kernel - 1) / 2, groups, false);
        return b.bn(prefix + ".1", y, BN_EPS);
    }
}
