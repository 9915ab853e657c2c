package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.transfer4j.SharedData;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.GraphBuilder;
import org.transfer4j.arch.MobileNetV1;
import org.transfer4j.arch.MobileNetV2;

class TfliteImportTest {

    /** conv 3x3 s2 + ReLU6, depthwise 3x3, average pool, linear: the shape of a TFLite MobileNet. */
    private static Graph tinyGraph() {
        GraphBuilder b = new GraphBuilder("tiny", 4);
        String x = b.relu6(b.convSame("c1", b.input(), 2, 3, 2, 1, true));
        String y = b.convSame("c2", x, 2, 3, 1, 2, true);
        String f = b.flatten(b.globalAvgPool(y));
        return b.output(Graph.Outputs.FEATURES, f).output(Graph.Outputs.LOGITS, b.linear("fc", f, 3, true)).build();
    }

    /** The TFLite form of {@link #tinyGraph()}; weight value = its flat index in the TFLite layout. */
    private static TfliteModel tinyModel(int firstCode, int firstStride, int secondActivation, boolean head) {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int in = b.tensor("in", new int[] {1, 4, 4, 3}, TfliteTensor.FLOAT32, null, null, null, 0);
        int w1 = b.tensor("w1", new int[] {2, 3, 3, 3}, TfliteTensor.FLOAT32, TfliteModelBuilder.le(ramp(54)),
                null, null, 0);
        int b1 = b.tensor("b1", new int[] {2}, TfliteTensor.FLOAT32, TfliteModelBuilder.le(0.5f, -0.5f), null, null, 0);
        int o1 = b.tensor("o1", new int[] {1, 2, 2, 2}, TfliteTensor.FLOAT32, null, null, null, 0);
        b.conv(firstCode, new int[] {in, w1, b1}, o1, firstStride, TfliteOperator.RELU6);
        int w2 = b.tensor("w2", new int[] {1, 3, 3, 2}, TfliteTensor.FLOAT32, TfliteModelBuilder.le(ramp(18)),
                null, null, 0);
        int o2 = b.tensor("o2", new int[] {1, 2, 2, 2}, TfliteTensor.FLOAT32, null, null, null, 0);
        b.conv(TfliteOperator.DEPTHWISE_CONV_2D, new int[] {o1, w2, -1}, o2, 1, secondActivation);
        int pooled = b.tensor("pooled", new int[] {1, 1, 1, 2}, TfliteTensor.FLOAT32, null, null, null, 0);
        b.operator(TfliteOperator.AVERAGE_POOL_2D, new int[] {o2}, new int[] {pooled}, null);
        int out = pooled;
        if (head) {
            int w3 = b.tensor("logits/weights", new int[] {3, 1, 1, 2}, TfliteTensor.FLOAT32,
                    TfliteModelBuilder.le(ramp(6)), null, null, 0);
            int b3 = b.tensor("b3", new int[] {3}, TfliteTensor.FLOAT32, TfliteModelBuilder.le(1f, 2f, 3f), null, null, 0);
            out = b.tensor("logits", new int[] {1, 1, 1, 3}, TfliteTensor.FLOAT32, null, null, null, 0);
            b.conv(TfliteOperator.CONV_2D, new int[] {pooled, w3, b3}, out, 1, TfliteOperator.NONE);
        }
        return TfliteReader.read(ByteBuffer.wrap(b.build(new int[] {in}, new int[] {out})), "tiny.tflite");
    }

    private static TfliteModel tinyModel() {
        return tinyModel(TfliteOperator.CONV_2D, 2, TfliteOperator.NONE, true);
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    @Test
    void layoutsAreConvertedToOurs() {
        Weights w = TfliteImport.map(tinyModel(), tinyGraph());
        Tensor c1 = w.get("c1.weight");
        assertThat(c1.shape()).containsExactly(2, 3, 3, 3);
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) {
                for (int h = 0; h < 3; h++) {
                    for (int x = 0; x < 3; x++) {
                        assertThat(c1.data()[((o * 3 + i) * 3 + h) * 3 + x]).isEqualTo(o * 27 + h * 9 + x * 3 + i);
                    }
                }
            }
        }
        Tensor c2 = w.get("c2.weight");
        assertThat(c2.shape()).containsExactly(2, 1, 3, 3);
        assertThat(c2.data()[9 + 3 * 2 + 1]).isEqualTo(2 * 6 + 1 * 2 + 1);  // channel 1, row 2, column 1
        assertThat(w.get("c2.bias").data()).containsExactly(0f, 0f);
        assertThat(w.get("c1.bias").data()).containsExactly(0.5f, -0.5f);
        assertThat(w.get("fc.weight").shape()).containsExactly(3, 2);
        assertThat(w.get("fc.weight").data()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
        assertThat(w.get("fc.bias").data()).containsExactly(1f, 2f, 3f);
    }

    @Test
    void mismatchesNameTheOperatorAndTheLayer() {
        Graph g = tinyGraph();
        assertThatThrownBy(() -> TfliteImport.map(tinyModel(TfliteOperator.DEPTHWISE_CONV_2D, 2,
                TfliteOperator.NONE, true), g)).isInstanceOf(WeightsException.class)
                .hasMessageContaining("tiny.tflite: operator 0 (DEPTHWISE_CONV_2D) pairs with tiny layer c1, "
                        + "which is a conv");
        assertThatThrownBy(() -> TfliteImport.map(tinyModel(TfliteOperator.CONV_2D, 1, TfliteOperator.NONE, true), g))
                .isInstanceOf(WeightsException.class).hasMessageContaining("stride 1x1 in the file, 2x2 in the graph");
        assertThatThrownBy(() -> TfliteImport.map(tinyModel(TfliteOperator.CONV_2D, 2, TfliteOperator.RELU6, true), g))
                .isInstanceOf(WeightsException.class)
                .hasMessageContaining("operator 1 (DEPTHWISE_CONV_2D) pairs with tiny layer c2")
                .hasMessageContaining("fused activation RELU6 in the file, but the graph applies none");
        assertThatThrownBy(() -> TfliteImport.map(tinyModel(TfliteOperator.CONV_2D, 2, TfliteOperator.NONE, false), g))
                .isInstanceOf(WeightsException.class)
                .hasMessageContaining("tiny.tflite has 2 conv/depthwise/fully-connected operators but tiny has 3");
    }

    @Test
    void anInputOfAnotherSizeIsRejected() {
        GraphBuilder b = new GraphBuilder("tiny8", 8);
        Graph g = b.output(Graph.Outputs.FEATURES, b.flatten(b.globalAvgPool(b.input()))).build();
        assertThatThrownBy(() -> TfliteImport.map(tinyModel(), g)).isInstanceOf(WeightsException.class)
                .hasMessageContaining("takes input [1, 4, 4, 3]").hasMessageContaining("built for 8x8");
    }

    @Test
    @Tag("shared")
    void everyCoralFileFitsItsGraph() {
        Path dir = SharedData.pretrained().resolve("coral-tflite");
        Map<String, Graph> files = new LinkedHashMap<>();
        files.put("mobilenet_v2_1.0_224_quant.tflite", MobileNetV2.tensorflow());
        files.put("tf2_mobilenet_v2_1.0_224_ptq.tflite", MobileNetV2.tensorflow());
        files.put("mobilenet_v1_1.0_224_quant_embedding_extractor.tflite", MobileNetV1.tensorflowFeatures(1.0, 224));
        files.put("mobilenet_v1_0.75_192_quant.tflite", MobileNetV1.tensorflow(0.75, 192));
        files.put("mobilenet_v1_0.5_160_quant.tflite", MobileNetV1.tensorflow(0.5, 160));
        files.put("mobilenet_v1_0.25_128_quant.tflite", MobileNetV1.tensorflow(0.25, 128));
        for (Map.Entry<String, Graph> e : files.entrySet()) {
            Weights w = TfliteImport.load(dir.resolve(e.getKey()), e.getValue());
            assertThat(w.size()).isEqualTo(e.getValue().parameters().size());
            System.out.printf("%s -> %s: %d tensors, %d parameters%n", e.getKey(), e.getValue().name(), w.size(),
                    w.parameterCount());
        }
    }

    @Test
    @Tag("shared")
    void aFileOfAnotherArchitectureIsRejectedWithTheReason() {
        Path dir = SharedData.pretrained().resolve("coral-tflite");
        assertThatThrownBy(() -> TfliteImport.load(dir.resolve("mobilenet_v1_1.0_224_quant_embedding_extractor.tflite"),
                MobileNetV2.tensorflow())).isInstanceOf(WeightsException.class)
                .hasMessageContaining("has 27 conv/depthwise/fully-connected operators but mobilenet_v2_tf has 53");
        assertThatThrownBy(() -> TfliteImport.load(dir.resolve("mobilenet_v1_0.5_160_quant.tflite"),
                MobileNetV1.tensorflow(0.75, 160))).isInstanceOf(WeightsException.class)
                .hasMessageContaining("operator 0 (CONV_2D) pairs with mobilenet_v1_0.75_160_tf layer conv_stem")
                .hasMessageContaining("output [C, H, W] [16, 80, 80] in the file, [24, 80, 80] in the graph");
        assertThatThrownBy(() -> TfliteImport.load(dir.resolve("mobilenet_v1_0.5_160_quant.tflite"),
                MobileNetV1.tensorflow(0.5, 192))).isInstanceOf(WeightsException.class)
                .hasMessageContaining("takes input [1, 160, 160, 3]");
    }
}
