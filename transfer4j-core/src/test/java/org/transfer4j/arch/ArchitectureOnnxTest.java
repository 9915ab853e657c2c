package org.transfer4j.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.transfer4j.arch.Graph.Outputs;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;

/** Every architecture runs through the ONNX writer and ONNX Runtime with the expected output widths. */
@Tag("slow")
class ArchitectureOnnxTest {

    /** Feature and class widths of each architecture, from the papers and torchvision's models. */
    static Stream<Arguments> architectures() {
        return Stream.of(
                Arguments.of("mobilenet_v2", 1280, 1000),
                Arguments.of("mobilenet_v2_tf", 1280, 1001),
                Arguments.of("mobilenet_v2_folded", 1280, 1000),
                Arguments.of("resnet18", 512, 1000),
                Arguments.of("resnet34", 512, 1000),
                Arguments.of("resnet50", 2048, 1000),
                Arguments.of("resnet101", 2048, 1000),
                Arguments.of("densenet121", 1024, 1000),
                Arguments.of("densenet169", 1664, 1000),
                Arguments.of("vgg16", 4096, 1000),
                Arguments.of("vgg16_bn", 4096, 1000),
                Arguments.of("mobilenet_v3_small", 576, 1000),
                Arguments.of("mobilenet_v3_large", 960, 1000),
                Arguments.of("efficientnet_b0", 1280, 1000),
                Arguments.of("squeezenet1_1", 512, 1000),
                Arguments.of("mobilenet_v1", 1024, 1000),
                Arguments.of("mobilenet_v1_0.75_192_tf", 768, 1001),
                Arguments.of("mobilenet_v1_0.5_160_tf", 512, 1001),
                Arguments.of("mobilenet_v1_0.25_128_tf", 256, 1001),
                Arguments.of("mobilenet_v1_0.25_224_keras", 256, 1000),
                Arguments.of("mobilenet_v1_1.0_224_tf_features", 1024, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void runsOnOnnxRuntime(String name, int featureWidth, int classes) {
        Graph g = Architectures.build(name);
        assertThat(g.width(Outputs.FEATURES)).isEqualTo(featureWidth);
        if (classes == 0) {
            assertThat(g.outputs()).as("a feature extractor has no classifier").doesNotContainKey(Outputs.LOGITS);
            byte[] features = OnnxWriter.write(g, RandomWeights.of(g, 7), List.of(Outputs.FEATURES));
            try (OrtRunner ort = new OrtRunner(features, 2)) {
                float[] image = new float[3 * g.inputSize() * g.inputSize()];
                assertThat(ort.run(image, new long[] {1, 3, g.inputSize(), g.inputSize()}).get(Outputs.FEATURES))
                        .hasDimensions(1, featureWidth);
            }
            return;
        }
        assertThat(g.width(Outputs.LOGITS)).isEqualTo(classes);

        byte[] model = OnnxWriter.write(g, RandomWeights.of(g, 7), List.of(Outputs.FEATURES, Outputs.LOGITS));
        float[] image = new float[3 * g.inputSize() * g.inputSize()];
        Random r = new Random(1);
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) r.nextGaussian();
        }
        try (OrtRunner ort = new OrtRunner(model, 2)) {
            Map<String, float[][]> out = ort.run(image, new long[] {1, 3, g.inputSize(), g.inputSize()});
            assertThat(out.get(Outputs.FEATURES)).hasDimensions(1, featureWidth);
            assertThat(out.get(Outputs.LOGITS)).hasDimensions(1, classes);
            for (float[] row : List.of(out.get(Outputs.FEATURES)[0], out.get(Outputs.LOGITS)[0])) {
                for (float v : row) {
                    assertThat(v).isFinite();
                }
            }
            float[] logits = out.get(Outputs.LOGITS)[0];
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : logits) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertThat(max).as("logits vary across classes").isGreaterThan(min);
        }
    }

    @Test
    void everyRegisteredArchitectureIsInTheTable() {
        List<String> tested = architectures().map(a -> (String) a.get()[0]).toList();
        assertThat(Architectures.all()).extracting(Architectures.Entry::name)
                .containsExactlyInAnyOrderElementsOf(tested);
    }
}
