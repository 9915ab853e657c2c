package org.transfer4j.arch;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.transfer4j.arch.Graph.Outputs;

/**
 * DenseNet-BC (Huang et al., 2017) as torchvision builds it: growth rate 32, bottleneck width
 * 4 × 32, 64 initial features, transitions that halve the channels. Parameter names are
 * torchvision's ({@code features.denseblock1.denselayer1.norm1.weight}); {@link #modernKey} maps the
 * older key form found in the official {@code densenet*.pth} files.
 */
public final class DenseNet {

    /** Dense layers per block (denseblock1..denseblock4). */
    private static final int[] DENSENET121 = {6, 12, 24, 16};
    private static final int[] DENSENET169 = {6, 12, 32, 32};
    private static final int GROWTH_RATE = 32;
    private static final int BOTTLENECK_SIZE = 4;
    private static final int INITIAL_FEATURES = 64;
    private static final int IMAGE_SIZE = 224;
    private static final int CLASSES = 1000;

    /** torchvision's own regex for keys like {@code ...denselayer1.norm.1.weight}. */
    private static final Pattern LEGACY_KEY = Pattern.compile(
            "^(.*denselayer\\d+\\.(?:norm|relu|conv))\\.((?:[12])\\.(?:weight|bias|running_mean|running_var))$");

    private DenseNet() {
    }

    /** torchvision's densenet121: 1024 features. */
    public static Graph densenet121() {
        return build("densenet121", DENSENET121);
    }

    /** torchvision's densenet169: 1664 features. */
    public static Graph densenet169() {
        return build("densenet169", DENSENET169);
    }

    /**
     * The current name of a DenseNet state-dict key: the official {@code .pth} files (saved before
     * PyTorch 0.4) write {@code features.denseblock1.denselayer1.norm.1.weight} where the module is now
     * {@code norm1}; torchvision renames them on load with the same pattern. Other keys come back as
     * they are.
     */
    public static String modernKey(String key) {
        Matcher m = LEGACY_KEY.matcher(key);
        return m.matches() ? m.group(1) + m.group(2) : key;
    }

    private static Graph build(String name, int[] blocks) {
        GraphBuilder b = new GraphBuilder(name, IMAGE_SIZE);
        String x = b.conv("features.conv0", b.input(), INITIAL_FEATURES, 7, 2, 3);
        x = b.relu(b.bn("features.norm0", x));
        x = b.maxPool(x, 3, 2, 1, false);
        for (int i = 0; i < blocks.length; i++) {
            x = denseBlock(b, "features.denseblock" + (i + 1), x, blocks[i]);
            if (i != blocks.length - 1) {
                x = transition(b, "features.transition" + (i + 1), x);
            }
        }
        x = b.relu(b.bn("features.norm5", x));
        String features = b.flatten(b.globalAvgPool(x));
        String logits = b.linear("classifier", features, CLASSES, true);
        return b.output(Outputs.FEATURES, features).output(Outputs.LOGITS, logits).build();
    }

    /** Each layer reads the concatenation of the block input and all earlier layers' outputs. */
    private static String denseBlock(GraphBuilder b, String prefix, String x, int layers) {
        List<String> parts = new ArrayList<>(List.of(x));
        for (int i = 1; i <= layers; i++) {
            String in = parts.size() == 1 ? parts.get(0) : b.concat(parts);
            parts.add(denseLayer(b, prefix + ".denselayer" + i, in));
        }
        return b.concat(parts);
    }

    /** bn-relu-conv1×1 (to 128 channels), bn-relu-conv3×3 (32 new channels). */
    private static String denseLayer(GraphBuilder b, String prefix, String x) {
        String y = b.relu(b.bn(prefix + ".norm1", x));
        y = b.conv(prefix + ".conv1", y, BOTTLENECK_SIZE * GROWTH_RATE, 1, 1, 0);
        y = b.relu(b.bn(prefix + ".norm2", y));
        return b.conv(prefix + ".conv2", y, GROWTH_RATE, 3, 1, 1);
    }

    /** bn-relu-conv1×1 halving the channels, then 2×2 average pooling. */
    private static String transition(GraphBuilder b, String prefix, String x) {
        String y = b.relu(b.bn(prefix + ".norm", x));
        y = b.conv(prefix + ".conv", y, b.channels(x) / 2, 1, 1, 0);
        return b.avgPool(y, 2, 2, 0);
    }
}
