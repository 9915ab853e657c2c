package org.transfer4j.weights;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transfer4j.arch.MobileNetV1;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.weights.WeightSet.Format;
import org.transfer4j.weights.WeightSet.Labels;

/**
 * The pretrained weight sets transfer4j knows, per backbone. The README's backbone table and
 * {@code transfer4j backbones} are made from this data. Among a backbone's sets found on the machine the
 * most accurate is used ({@link #byAccuracy}); the first in table order is the one downloaded when none is.
 */
public final class WeightRegistry {

    private static final String TORCHVISION = "https://download.pytorch.org/models/";
    private static final String CORAL =
            "https://raw.githubusercontent.com/google-coral/test_data/master/";
    private static final String ST_MODEL_ZOO = "https://github.com/STMicroelectronics/stm32ai-modelzoo/raw/main/"
            + "image_classification/mobilenetv1/Public_pretrainedmodel_public_dataset/ImageNet/";
    private static final String IOS_DEMO_APP =
            "https://raw.githubusercontent.com/pytorch/ios-demo-app/d880a146804f0cab76ece92eaa62a3f5965d0a87/";
    private static final String BSD = "BSD-3-Clause (torchvision)";
    private static final String APACHE = "Apache-2.0";

    private static final Map<String, List<WeightSet>> SETS = new LinkedHashMap<>();

    static {
        // The default backbone. The TFLite file comes first in the table: it is the one downloaded when no
        // mobilenet_v2 weights are on the machine (a small file from a stable URL).
        tflite("mobilenet_v2", "tflite-quant", "mobilenet_v2_tf", "mobilenet_v2_1.0_224_quant.tflite",
                "7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776", 224, Labels.IMAGENET_1001, 70.8);
        tflite("mobilenet_v2", "tflite-tf2-ptq", "mobilenet_v2_tf", "tf2_mobilenet_v2_1.0_224_ptq.tflite",
                "5d3137241276e79c86d14a74fe43581398ae0e815191d3dba45495b810840e8c", 224, Labels.IMAGENET_1001, Double.NaN);
        torchvision("mobilenet_v2", "mobilenet_v2-b0353104.pth", 71.878);
        // torchvision's quantized MobileNetV2 (QAT, qnnpack) as PyTorch's iOS demo app ships it, TorchScript;
        // batch-norm folded into the convs. Top-1 is torchvision's figure for mobilenet_v2 quantized.
        add(new WeightSet("mobilenet_v2", "torchscript-int8", "mobilenet_v2_folded", Format.TORCHSCRIPT,
                "mobilenet_quantized.pt", IOS_DEMO_APP + "PyTorchDemo/PyTorchDemo/ImageClassification/model/mobilenet_quantized.pt",
                "2778381c5eb7639a2229bc39567cf644226e5aa3d3a1d46dfcee70b373738498",
                Preprocessing.imagenet(), Labels.IMAGENET_1000, 71.658, BSD));
        torchvision("resnet18", "resnet18-f37072fd.pth", 69.758);
        torchvision("resnet34", "resnet34-b627a593.pth", 73.314);
        torchvision("resnet50", "resnet50-0676ba61.pth", 76.130);
        torchvision("resnet101", "resnet101-63fe2227.pth", 77.374);
        torchvision("densenet121", "densenet121-a639ec97.pth", 74.434);
        torchvision("densenet169", "densenet169-b2777c0a.pth", 75.600);
        torchvision("vgg16", "vgg16-397923af.pth", 71.592);
        torchvision("vgg16_bn", "vgg16_bn-6c64b313.pth", 73.360);
        torchvision("mobilenet_v3_small", "mobilenet_v3_small-047dcff4.pth", 67.668);
        torchvision("mobilenet_v3_large", "mobilenet_v3_large-8738ca79.pth", 74.042);
        // torchvision resizes with bicubic interpolation for this one; transfer4j uses bilinear.
        torchvision("efficientnet_b0", "efficientnet_b0_rwightman-3dd342df.pth", 77.692);
        torchvision("squeezenet1_1", "squeezenet1_1-b8a52dc0.pth", 58.178);
        // MobileNetV1 exists only as TensorFlow weights here; the 1.0/224 file is headless.
        tflite("mobilenet_v1", "tflite-embedding", "mobilenet_v1_1.0_224_tf_features",
                "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
                "f409ef4f73fcbb9667841965623c5c8524aac33d41b9bf5f3667161fb4a76319", 224, Labels.NONE, Double.NaN);
        tflite("mobilenet_v1_0.75_192", "tflite-quant", "mobilenet_v1_0.75_192_tf", "mobilenet_v1_0.75_192_quant.tflite",
                "41daeb22fdcf947e0e5ec32373aa9df7c31f3ef45dbd0ef7b5940fbce3c20f6a", 192, Labels.IMAGENET_1001, 66.1);
        tflite("mobilenet_v1_0.5_160", "tflite-quant", "mobilenet_v1_0.5_160_tf", "mobilenet_v1_0.5_160_quant.tflite",
                "3cc6d2ca460abd2e0f699a6d0d2550c6b61c6e3b0e27a3616e384ea74cb86f43", 160, Labels.IMAGENET_1001, 57.2);
        tflite("mobilenet_v1_0.25_128", "tflite-quant", "mobilenet_v1_0.25_128_tf", "mobilenet_v1_0.25_128_quant.tflite",
                "cb273c23ee76374b05b9583177e28aa19744858a7679c56a250e83d0333da785", 128, Labels.IMAGENET_1001, 39.5);
        // Keras applications' MobileNet 0.25/224, float32 with batch-norm separate. Keras publishes it as
        // mobilenet_2_5_224_tf.h5 (weights only); this is the whole-model file STMicroelectronics' model zoo
        // redistributes, which the reader also takes. Top-1 is the Keras applications table's.
        add(new WeightSet("mobilenet_v1_0.25_224", "keras", MobileNetV1.kerasName(0.25, 224), Format.KERAS_H5,
                "mobilenet_v1_0.25_224.h5", ST_MODEL_ZOO + "mobilenet_v1_0.25_224/mobilenet_v1_0.25_224.h5",
                "dc1ff623e6cd99c3cc0dd2821ca0807ba013606af5a4e2afd4488fbf26a8b589",
                Preprocessing.tensorflowCentralCrop(224), Labels.IMAGENET_1000, 50.6, APACHE));
    }

    private WeightRegistry() {
    }

    private static void torchvision(String backbone, String file, double top1) {
        String prefix = file.substring(file.lastIndexOf('-') + 1, file.lastIndexOf('.'));
        add(new WeightSet(backbone, "torchvision", backbone, Format.PTH, file, TORCHVISION + file, prefix,
                Preprocessing.imagenet(), Labels.IMAGENET_1000, top1, BSD));
    }

    private static void tflite(String backbone, String tag, String arch, String file, String sha256, int size,
                               Labels labels, double top1) {
        add(new WeightSet(backbone, tag, arch, Format.TFLITE, file, CORAL + file, sha256,
                Preprocessing.tensorflowCentralCrop(size), labels, top1, APACHE));
    }

    private static void add(WeightSet set) {
        SETS.computeIfAbsent(set.backbone(), k -> new ArrayList<>()).add(set);
    }

    /** Backbone names, in table order. */
    public static List<String> backbones() {
        return List.copyOf(SETS.keySet());
    }

    /**
     * The weight sets of a backbone, in table order; for a pinned weight set ({@code mobilenet_v2:tflite-quant},
     * {@link WeightSet#id()}), that set alone.
     *
     * @throws WeightsException listing the known backbones (or the backbone's weight sets) when the name is unknown
     */
    public static List<WeightSet> setsOf(String backbone) {
        int colon = backbone.indexOf(':');
        List<WeightSet> sets = SETS.get(colon < 0 ? backbone : backbone.substring(0, colon));
        if (sets == null) {
            throw new WeightsException("unknown backbone '" + backbone + "'; known: "
                    + String.join(", ", SETS.keySet()));
        }
        if (colon < 0) {
            return List.copyOf(sets);
        }
        return sets.stream().filter(s -> s.id().equals(backbone)).findFirst().map(List::of)
                .orElseThrow(() -> new WeightsException("unknown weight set '" + backbone + "'; "
                        + backbone.substring(0, colon) + " has: "
                        + String.join(", ", sets.stream().map(WeightSet::id).toList())));
    }

    /**
     * A backbone's weight sets, most accurate first: by published ImageNet top-1, those without a
     * published figure last, ties in table order.
     *
     * @throws WeightsException listing the known backbones when the name is unknown
     */
    public static List<WeightSet> byAccuracy(String backbone) {
        List<WeightSet> sets = new ArrayList<>(setsOf(backbone));
        sets.sort(Comparator.comparingDouble((WeightSet s) -> Double.isNaN(s.top1()) ? Double.NEGATIVE_INFINITY : s.top1())
                .reversed());
        return List.copyOf(sets);
    }

    /** Every weight set, in table order. */
    public static List<WeightSet> all() {
        List<WeightSet> all = new ArrayList<>();
        SETS.values().forEach(all::addAll);
        return all;
    }
}
