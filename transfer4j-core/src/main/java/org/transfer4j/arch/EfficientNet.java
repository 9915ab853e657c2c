package org.transfer4j.arch;

import java.util.List;
import org.transfer4j.arch.Graph.Outputs;

/**
 * EfficientNet-B0 (Tan and Le, 2019) as torchvision builds it: MBConv blocks with squeeze-excitation
 * and SiLU, batch-norm epsilon 1e-5. Stage {@code s}, block {@code j} is {@code features.s.j}, its
 * layers {@code features.s.j.block.K}. Stochastic depth and dropout are the identity at inference and
 * are left out. {@link Outputs#FEATURES} is the globally pooled 1280-channel head conv.
 */
public final class EfficientNet {

    /**
     * One stage: Table 1 of the paper.
     *
     * @param expansion expansion ratio of the 1×1 conv (1: no expansion conv)
     * @param kernel depthwise kernel size
     * @param stride stride of the stage's first block
     * @param in input channels
     * @param out output channels
     * @param layers blocks in the stage
     */
    private record Stage(int expansion, int kernel, int stride, int in, int out, int layers) {
    }

    private static final List<Stage> B0 = List.of(
            new Stage(1, 3, 1, 32, 16, 1),
            new Stage(6, 3, 2, 16, 24, 2),
            new Stage(6, 5, 2, 24, 40, 2),
            new Stage(6, 3, 2, 40, 80, 3),
            new Stage(6, 5, 1, 80, 112, 3),
            new Stage(6, 5, 2, 112, 192, 4),
            new Stage(6, 3, 1, 192, 320, 1));
    private static final int HEAD_EXPANSION = 4;
    /** Conv without bias + batch-norm (eps 1e-5) as {@code prefix.0} and {@code prefix.1}. */
    private static final ConvStyle STYLE = ConvStyle.TORCHVISION;
    private static final int IMAGE_SIZE = 224;
    private static final int CLASSES = 1000;

    private EfficientNet() {
    }

    /** torchvision's efficientnet_b0: 1280 features. */
    public static Graph b0() {
        return build("efficientnet_b0", B0, IMAGE_SIZE);
    }

    private static Graph build(String name, List<Stage> stages, int imageSize) {
        GraphBuilder b = new GraphBuilder(name, imageSize);
        String x = b.silu(STYLE.convBn(b, "features.0", b.input(), stages.get(0).in(), 3, 2, 1));
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            for (int j = 0; j < stage.layers(); j++) {
                String prefix = "features." + (s + 1) + "." + j + ".block";
                x = mbConv(b, prefix, x, stage, j == 0 ? stage.stride() : 1);
            }
        }
        int last = stages.size() + 1;
        x = b.silu(STYLE.convBn(b, "features." + last, x, HEAD_EXPANSION * b.channels(x), 1, 1, 1));
        String features = b.flatten(b.globalAvgPool(x));
        String logits = b.linear("classifier.1", features, CLASSES, true);
        return b.output(Outputs.FEATURES, features).output(Outputs.LOGITS, logits).build();
    }

    /** [expand 1×1] → depthwise → squeeze-excitation → project 1×1, plus the input when shapes match. */
    private static String mbConv(GraphBuilder b, String prefix, String x, Stage stage, int stride) {
        int in = b.channels(x);
        int expanded = MobileNetV3.makeDivisible(in * stage.expansion(), 8);
        String y = x;
        int layer = 0;
        if (expanded != in) {
            y = b.silu(STYLE.convBn(b, prefix + "." + layer++, y, expanded, 1, 1, 1));
        }
        y = b.silu(STYLE.convBn(b, prefix + "." + layer++, y, expanded, stage.kernel(), stride, expanded));
        y = squeezeExcitation(b, prefix + "." + layer++, y, Math.max(1, in / 4));
        y = STYLE.convBn(b, prefix + "." + layer, y, stage.out(), 1, 1, 1);
        return stride == 1 && in == stage.out() ? b.add(y, x) : y;
    }

    /** Global average, 1×1 conv, SiLU, 1×1 conv, sigmoid; the result scales each channel. */
    private static String squeezeExcitation(GraphBuilder b, String prefix, String x, int squeeze) {
        String s = b.silu(b.conv(prefix + ".fc1", b.globalAvgPool(x), squeeze, 1, 1, 0, 1, true));
        s = b.sigmoid(b.conv(prefix + ".fc2", s, b.channels(x), 1, 1, 0, 1, true));
        return b.mul(x, s);
    }
}
