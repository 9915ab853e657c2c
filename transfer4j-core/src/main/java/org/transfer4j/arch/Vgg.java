package org.transfer4j.arch;

import org.transfer4j.arch.Graph.Outputs;

/**
 * VGG (Simonyan and Zisserman, 2015) configuration "D" as torchvision builds it: {@code vgg16} and
 * {@code vgg16_bn}. Layers are numbered as in torchvision's {@code features} Sequential (conv, [bn],
 * ReLU, and max-pools each take an index), so {@code features.28.weight} is the last conv of vgg16.
 *
 * <p>Built for 224×224 input only: the feature map is then 7×7, where torchvision's
 * {@code AdaptiveAvgPool2d(7)} is the identity and is left out.
 *
 * <p>{@link Outputs#FEATURES} is fc7, the 4096 values after {@code classifier.3} and its ReLU (dropout
 * is the identity at inference): the customary transfer-learning layer for VGG, rather than the
 * 25088-wide flattened pool5.
 */
public final class Vgg {

    /** Output channels of each 3×3 conv; 0 marks a 2×2 max-pool. */
    private static final int[] VGG16 = {
        64, 64, 0,
        128, 128, 0,
        256, 256, 256, 0,
        512, 512, 512, 0,
        512, 512, 512, 0,
    };
    private static final int POOL = 0;
    private static final int IMAGE_SIZE = 224;
    private static final int POOLED_SIZE = 7;
    private static final int HIDDEN = 4096;
    private static final int CLASSES = 1000;

    private Vgg() {
    }

    /** torchvision's vgg16: 4096 features (fc7). */
    public static Graph vgg16() {
        return build("vgg16", VGG16, false);
    }

    /** torchvision's vgg16_bn: 4096 features (fc7). */
    public static Graph vgg16Bn() {
        return build("vgg16_bn", VGG16, true);
    }

    private static Graph build(String name, int[] config, boolean batchNorm) {
        GraphBuilder b = new GraphBuilder(name, IMAGE_SIZE);
        String x = b.input();
        int index = 0;
        for (int channels : config) {
            if (channels == POOL) {
                x = b.maxPool(x, 2, 2, 0, false);
                index++;
                continue;
            }
            x = b.conv("features." + index++, x, channels, 3, 1, 1, 1, true);
            if (batchNorm) {
                x = b.bn("features." + index++, x);
            }
            x = b.relu(x);
            index++;
        }
        long[] pooled = b.shape(x);
        if (pooled[1] != POOLED_SIZE || pooled[2] != POOLED_SIZE) {
            throw new IllegalStateException(name + ": expected a 7×7 map before the classifier, got "
                    + pooled[1] + "×" + pooled[2]);
        }
        String fc6 = b.relu(b.linear("classifier.0", b.flatten(x), HIDDEN, true));
        String fc7 = b.relu(b.linear("classifier.3", fc6, HIDDEN, true));
        String logits = b.linear("classifier.6", fc7, CLASSES, true);
        return b.output(Outputs.FEATURES, fc7).output(Outputs.LOGITS, logits).build();
    }
}
