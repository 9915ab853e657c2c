package org.transfer4j.arch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every architecture transfer4j can build, by name. */
public final class Architectures {

    /**
     * One buildable architecture.
     *
     * @param name torchvision's name ({@code resnet18}) or ours for a weights-format variant
     * @param family the architecture file it comes from
     * @param torchvision whether torchvision has the same network (and so a parity reference)
     * @param builder makes a fresh graph
     */
    public record Entry(String name, String family, boolean torchvision, Supplier<Graph> builder) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add("mobilenet_v2", "MobileNetV2", true, MobileNetV2::torchvision);
        add("mobilenet_v2_tf", "MobileNetV2", false, MobileNetV2::tensorflow);
        add("mobilenet_v2_folded", "MobileNetV2", false, MobileNetV2::torchvisionFolded);
        add("resnet18", "ResNet", true, ResNet::resnet18);
        add("resnet34", "ResNet", true, ResNet::resnet34);
        add("resnet50", "ResNet", true, ResNet::resnet50);
        add("resnet101", "ResNet", true, ResNet::resnet101);
        add("densenet121", "DenseNet", true, DenseNet::densenet121);
        add("densenet169", "DenseNet", true, DenseNet::densenet169);
        add("vgg16", "Vgg", true, Vgg::vgg16);
        add("vgg16_bn", "Vgg", true, Vgg::vgg16Bn);
        add("mobilenet_v3_small", "MobileNetV3", true, MobileNetV3::small);
        add("mobilenet_v3_large", "MobileNetV3", true, MobileNetV3::large);
        add("efficientnet_b0", "EfficientNet", true, EfficientNet::b0);
        add("squeezenet1_1", "SqueezeNet", true, SqueezeNet::squeezenet11);
        add("mobilenet_v1", "MobileNetV1", false,
                () -> MobileNetV1.build("mobilenet_v1", ConvStyle.TORCHVISION, 1.0, 224, 1000));
        add("mobilenet_v1_1.0_224_tf_features", "MobileNetV1", false,
                () -> MobileNetV1.tensorflowFeatures(1.0, 224));
        add("mobilenet_v1_0.75_192_tf", "MobileNetV1", false, () -> MobileNetV1.tensorflow(0.75, 192));
        add("mobilenet_v1_0.5_160_tf", "MobileNetV1", false, () -> MobileNetV1.tensorflow(0.5, 160));
        add("mobilenet_v1_0.25_128_tf", "MobileNetV1", false, () -> MobileNetV1.tensorflow(0.25, 128));
        add("mobilenet_v1_0.25_224_keras", "MobileNetV1", false, () -> MobileNetV1.keras(0.25, 224));
    }

    private Architectures() {
    }

    private static void add(String name, String family, boolean torchvision, Supplier<Graph> builder) {
        ENTRIES.put(name, new Entry(name, family, torchvision, builder));
    }

    /** All entries in a stable order. */
    public static List<Entry> all() {
        return Collections.unmodifiableList(new ArrayList<>(ENTRIES.values()));
    }

    /**
     * Builds the named architecture.
     *
     * @throws IllegalArgumentException naming the known architectures when the name is unknown
     */
    public static Graph build(String name) {
        Entry e = ENTRIES.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown architecture '" + name + "'; known: "
                    + String.join(", ", ENTRIES.keySet()));
        }
        return e.builder().get();
    }
}
