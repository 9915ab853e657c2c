package org.transfer4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.transfer4j.arch.Architectures;
import org.transfer4j.arch.Graph;
import org.transfer4j.parity.PythonScript;
import org.transfer4j.weights.WeightFiles;

/**
 * Grad-CAM (ONNX Runtime forward, closed-form head gradient) against a PyTorch reference with hooks
 * ({@code gradcam_reference.py}): the same random-weight torchvision model (saved as .pth and read
 * with {@link WeightFiles}), the same two random images, the same target classes. Tolerance: every
 * heatmap value within 1e-4 of the reference's largest value for that image.
 */
@Tag("slow")
class GradCamParityTest {

    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenet_v2"})
    void heatmapsMatchPyTorch(String name, @TempDir Path dir) throws IOException {
        PythonScript.run("gradcam_reference.py", List.of(dir.toString(), name), 300);
        Graph graph = Architectures.build(name);
        float[] input = floats(dir.resolve("input.f32"));
        int[] targets = Arrays.stream(Files.readString(dir.resolve("targets.txt")).trim().split(" "))
                .mapToInt(Integer::parseInt).toArray();
        float[] expected = floats(dir.resolve("cam.f32"));
        List<Heatmap> maps;
        String linear = name.startsWith("resnet") ? "fc" : "classifier.1";
        try (GradCam cam = SyntheticRun.gradCamOver(graph, WeightFiles.read(dir.resolve("weights.pth")), linear)) {
            maps = cam.explain(input, targets);
        }
        assertThat(maps).hasSize(2);
        int cells = maps.get(0).height() * maps.get(0).width();
        assertThat(maps.get(0).height()).isEqualTo(7);
        assertThat(expected).hasSize(2 * cells);
        for (int i = 0; i < 2; i++) {
            float[] ref = Arrays.copyOfRange(expected, i * cells, (i + 1) * cells);
            float refMax = 0;
            for (float v : ref) {
                refMax = Math.max(refMax, v);
            }
            float[] got = maps.get(i).values();
            double worst = 0;
            for (int k = 0; k < cells; k++) {
                worst = Math.max(worst, Math.abs(got[k] - ref[k]));
            }
            System.err.printf("%s image %d (class %d): heatmap max %.5g, largest difference %.3g (%.2g of max)%n",
                    name, i, targets[i], refMax, worst, worst / refMax);
            assertThat(refMax).as("a heatmap with something in it").isGreaterThan(0f);
            long positive = 0;
            for (float v : ref) {
                positive += v > 0 ? 1 : 0;
            }
            assertThat(positive).as("cells with evidence in the reference").isGreaterThanOrEqualTo(3);
            assertThat(worst).as(name + " image " + i).isLessThanOrEqualTo(TOLERANCE * refMax);
        }
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }
}
