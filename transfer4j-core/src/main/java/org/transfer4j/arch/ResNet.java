package org.transfer4j.arch;

import org.transfer4j.arch.Graph.Outputs;

/**
 * ResNet (He et al., 2016) as torchvision builds it: {@code resnet18}, {@code resnet34} with basic
 * blocks and {@code resnet50}, {@code resnet101} with bottleneck blocks whose stride sits on the 3×3
 * convolution ("ResNet V1.5"). Parameter names are torchvision's state-dict keys
 * ({@code layer2.0.downsample.0.weight}).
 */
public final class ResNet {

    /** Blocks per stage (layer1..layer4). */
    private static final int[] RESNET18 = {2, 2, 2, 2};
    private static final int[] RESNET34 = {3, 4, 6, 3};
    private static final int[] RESNET50 = {3, 4, 6, 3};
    private static final int[] RESNET101 = {3, 4, 23, 3};
    /** Width of each stage's 3×3 convolutions; a bottleneck block outputs four times as many channels. */
    private static final int[] PLANES = {64, 128, 256, 512};
    private static final int BOTTLENECK_EXPANSION = 4;
    private static final int IMAGE_SIZE = 224;
    private static final int CLASSES = 1000;

    private ResNet() {
    }

    /** torchvision's resnet18: 512 features. */
    public static Graph resnet18() {
        return build("resnet18", RESNET18, false);
    }

    /** torchvision's resnet34: 512 features. */
    public static Graph resnet34() {
        return build("resnet34", RESNET34, false);
    }

    /** torchvision's resnet50: 2048 features. */
    public static Graph resnet50() {
        return build("resnet50", RESNET50, true);
    }

    /** torchvision's resnet101: 2048 features. */
    public static Graph resnet101() {
        return build("resnet101", RESNET101, true);
    }

    private static Graph build(String name, int[] blocks, boolean bottleneck) {
        GraphBuilder b = new GraphBuilder(name, IMAGE_SIZE);
        String x = b.relu(b.bn("bn1", b.conv("conv1", b.input(), 64, 7, 2, 3)));
        x = b.maxPool(x, 3, 2, 1, false);
        for (int stage = 0; stage < blocks.length; stage++) {
            for (int i = 0; i < blocks[stage]; i++) {
                String prefix = "layer" + (stage + 1) + "." + i;
                int stride = stage > 0 && i == 0 ? 2 : 1;
                x = bottleneck
                        ? bottleneck(b, prefix, x, PLANES[stage], stride)
                        : basicBlock(b, prefix, x, PLANES[stage], stride);
            }
        }
        String features = b.flatten(b.globalAvgPool(x));
        String logits = b.linear("fc", features, CLASSES, true);
        return b.output(Outputs.FEATURES, features).output(Outputs.LOGITS, logits).build();
    }

    /** conv3×3-bn-relu-conv3×3-bn plus the (possibly projected) input, then ReLU. */
    private static String basicBlock(GraphBuilder b, String prefix, String x, int planes, int stride) {
        String y = b.relu(b.bn(prefix + ".bn1", b.conv(prefix + ".conv1", x, planes, 3, stride, 1)));
        y = b.bn(prefix + ".bn2", b.conv(prefix + ".conv2", y, planes, 3, 1, 1));
        return b.relu(b.add(y, shortcut(b, prefix, x, planes, stride)));
    }

    /** conv1×1-bn-relu, conv3×3 (strided)-bn-relu, conv1×1-bn, plus the shortcut, then ReLU. */
    private static String bottleneck(GraphBuilder b, String prefix, String x, int planes, int stride) {
        String y = b.relu(b.bn(prefix + ".bn1", b.conv(prefix + ".conv1", x, planes, 1, 1, 0)));
        y = b.relu(b.bn(prefix + ".bn2", b.conv(prefix + ".conv2", y, planes, 3, stride, 1)));
        int out = planes * BOTTLENECK_EXPANSION;
        y = b.bn(prefix + ".bn3", b.conv(prefix + ".conv3", y, out, 1, 1, 0));
        return b.relu(b.add(y, shortcut(b, prefix, x, out, stride)));
    }

    /** The input itself, or a strided 1×1 conv + batch-norm ({@code downsample}) when the shape changes. */
    private static String shortcut(GraphBuilder b, String prefix, String x, int out, int stride) {
        if (stride == 1 && b.channels(x) == out) {
            return x;
        }
        String d = prefix + ".downsample";
        return b.bn(d + ".1", b.conv(d + ".0", x, out, 1, stride, 0));
    }
}
