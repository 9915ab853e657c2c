package org.transfer4j.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.transfer4j.arch.Graph.Outputs;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * Numbers, not only names: torchvision models with random weights (batch-norm statistics included)
 * and one random image, run by PyTorch and by our graph on ONNX Runtime, give the same features and
 * logits. One network per code path: basic and bottleneck blocks, dense concatenation, SE with hard
 * sigmoid and with SiLU, and SqueezeNet at a size where its ceil-mode pools round up. VGG is left out only for its 0.5 GB of weights.
 */
@Tag("slow")
class RandomWeightsParityTest {

    /** Largest difference allowed, relative to the largest absolute reference value. */
    private static final double RELATIVE_TOLERANCE = 1e-4;

    @TempDir
    static Path reference;

    static List<String> names() {
        return List.of("resnet18", "resnet50", "densenet121", "mobilenet_v3_small", "mobilenet_v3_large",
                "efficientnet_b0", "squeezenet1_1", "mobilenet_v2");
    }

    /** 225 makes each of SqueezeNet's ceil-mode max-pools round up (224 divides evenly). */
    private static final int ODD_SIZE = 225;

    @BeforeAll
    static void writeReferences() throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(names());
        args.add("squeezenet1_1:" + ODD_SIZE);
        TorchvisionScript.run("random_reference.py", reference, args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void featuresAndLogitsEqualPyTorch(String name) throws IOException {
        assertSameAsPyTorch(Architectures.build(name), reference.resolve(name));
    }

    @Test
    void squeezeNetCeilModePoolsRoundUp() throws IOException {
        Graph g = SqueezeNet.squeezenet11(ODD_SIZE);
        assertSameAsPyTorch(g, reference.resolve("squeezenet1_1_" + ODD_SIZE));
    }

    private static void assertSameAsPyTorch(Graph g, Path dir) throws IOException {
        String name = g.name();
        Weights weights = readWeights(dir);
        weights.checkAgainst(g, dir.resolve("weights.f32").toString());

        byte[] model = OnnxWriter.write(g, weights, List.of(Outputs.FEATURES, Outputs.LOGITS));
        try (OrtRunner ort = new OrtRunner(model, 2)) {
            int size = g.inputSize();
            Map<String, float[][]> out = ort.run(readFloats(dir.resolve("input.f32")), new long[] {1, 3, size, size});
            assertClose(name + " features", out.get(Outputs.FEATURES)[0], readFloats(dir.resolve("features.f32")));
            assertClose(name + " logits", out.get(Outputs.LOGITS)[0], readFloats(dir.resolve("logits.f32")));
        }
    }

    private static void assertClose(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what + " width").hasSameSizeAs(expected);
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(scale).as(what + " reference is not all zero").isGreaterThan(0);
        assertThat(worst / scale).as(what + ": max |diff| " + worst + " over max |value| " + scale)
                .isLessThan(RELATIVE_TOLERANCE);
    }

    private static Weights readWeights(Path dir) throws IOException {
        return readTensors(dir, "weights");
    }

    /** Tensors written as {@code NAME.json} (names and shapes, in order) and {@code NAME.f32} (their values). */
    static Weights readTensors(Path dir, String name) throws IOException {
        JsonNode index = new ObjectMapper().readTree(dir.resolve(name + ".json").toFile());
        float[] all = readFloats(dir.resolve(name + ".f32"));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int offset = 0;
        for (JsonNode entry : index) {
            long[] shape = new long[entry.get(1).size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = entry.get(1).get(i).asLong();
            }
            int n = Math.toIntExact(Tensor.numel(shape));
            float[] data = new float[n];
            System.arraycopy(all, offset, data, 0, n);
            offset += n;
            tensors.put(entry.get(0).asText(), new Tensor(shape, data));
        }
        assertThat(offset).as(name + ".f32 holds exactly the indexed tensors").isEqualTo(all.length);
        return new Weights(tensors);
    }

    static float[] readFloats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}
