package org.transfer4j.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.GraphBuilder;
import org.transfer4j.arch.MobileNetV2;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

class OnnxWriterTest {

    static Weights random(Graph g, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> m = new LinkedHashMap<>();
        g.parameters().forEach((name, shape) -> {
            Tensor t = Tensor.zeros(shape);
            for (int i = 0; i < t.data().length; i++) {
                t.data()[i] = name.endsWith("running_var") ? 0.5f + r.nextFloat() : (float) r.nextGaussian() * 0.1f;
            }
            m.put(name, t);
        });
        return new Weights(m);
    }

    @Test
    void tinyGraphComputesByHand() {
        GraphBuilder b = new GraphBuilder("tiny", 2);
        String x = b.globalAvgPool(b.relu(b.input()));
        String f = b.flatten(x);
        String y = b.linear("fc", f, 1, true);
        Graph g = b.output(Graph.Outputs.FEATURES, f).output(Graph.Outputs.LOGITS, y).build();
        Weights w = new Weights(Map.of(
                "fc.weight", new Tensor(new long[] {1, 3}, new float[] {1, 2, 3}),
                "fc.bias", new Tensor(new long[] {1}, new float[] {0.5f})));
        float[] input = {1, -1, 3, 1, /* ch1 */ 2, 2, 2, 2, /* ch2 */ -4, -4, -4, -4};
        try (OrtRunner ort = new OrtRunner(OnnxWriter.write(g, w, List.of("features", "logits")), 1)) {
            Map<String, float[][]> out = ort.run(input, new long[] {1, 3, 2, 2});
            assertThat(out.get("features")[0]).containsExactly(1.25f, 2f, 0f);
            assertThat(out.get("logits")[0][0]).isEqualTo(1.25f + 4f + 0.5f);
        }
    }

    @Test
    void mobileNetV2RunsWithDynamicBatch() {
        Graph g = MobileNetV2.torchvision();
        assertThat(g.width("features")).isEqualTo(1280);
        byte[] model = OnnxWriter.write(g, random(g, 1), List.of("features", "logits"));
        try (OrtRunner ort = new OrtRunner(model, 2)) {
            float[] input = new float[2 * 3 * 224 * 224];
            Map<String, float[][]> out = ort.run(input, new long[] {2, 3, 224, 224});
            assertThat(out.get("features")).hasDimensions(2, 1280);
            assertThat(out.get("logits")).hasDimensions(2, 1000);
        }
    }
}
