package org.transfer4j.arch;

import java.util.List;
import org.transfer4j.arch.Graph.Outputs;

/**
 * SqueezeNet 1.1 (Iandola et al., 2016; the 1.1 variant from the authors' repository) as torchvision
 * builds it: Fire modules, max-pools with {@code ceil_mode}, and a classifier that is a 1×1 conv,
 * ReLU and global average pooling. {@link Outputs#FEATURES} is the 512-channel output of
 * {@code features}, averaged over H and W; the classifier conv does not read it.
 */
public final class SqueezeNet {

    /** Fire modules of version 1.1: squeeze, expand1x1, expand3x3 channels; 0 marks a max-pool. */
    private static final int[][] FEATURES_1_1 = {
        {16, 64, 64}, {16, 64, 64}, {0},
        {32, 128, 128}, {32, 128, 128}, {0},
        {48, 192, 192}, {48, 192, 192}, {64, 256, 256}, {64, 256, 256},
    };
    private static final int POOL = 0;
    private static final int IMAGE_SIZE = 224;
    private static final int CLASSES = 1000;

    private SqueezeNet() {
    }

    /** torchvision's squeezenet1_1: 512 features. */
    public static Graph squeezenet11() {
        return squeezenet11(IMAGE_SIZE);
    }

    /**
     * squeezenet1_1 for another input size (torchvision's model takes any size; the ceil-mode pools
     * round up for sizes such as 225 or 227, the size of the original Caffe model).
     */
    public static Graph squeezenet11(int imageSize) {
        GraphBuilder b = new GraphBuilder("squeezenet1_1", imageSize);
        String x = b.relu(b.conv("features.0", b.input(), 64, 3, 2, 0, 1, true));
        x = b.maxPool(x, 3, 2, 0, true);
        int index = 3;
        for (int[] fire : FEATURES_1_1) {
            x = fire[0] == POOL
                    ? b.maxPool(x, 3, 2, 0, true)
                    : fire(b, "features." + index, x, fire[0], fire[1], fire[2]);
            index++;
        }
        String features = b.flatten(b.globalAvgPool(x));
        String scores = b.relu(b.conv("classifier.1", x, CLASSES, 1, 1, 0, 1, true));
        String logits = b.flatten(b.globalAvgPool(scores));
        return b.output(Outputs.FEATURES, features).output(Outputs.LOGITS, logits).build();
    }

    /** squeeze 1×1 + ReLU, then 1×1 and 3×3 expands (each + ReLU) concatenated. */
    private static String fire(GraphBuilder b, String prefix, String x, int squeeze, int expand1, int expand3) {
        String s = b.relu(b.conv(prefix + ".squeeze", x, squeeze, 1, 1, 0, 1, true));
        String e1 = b.relu(b.conv(prefix + ".expand1x1", s, expand1, 1, 1, 0, 1, true));
        String e3 = b.relu(b.conv(prefix + ".expand3x3", s, expand3, 3, 1, 1, 1, true));
        return b.concat(List.of(e1, e3));
    }
}
