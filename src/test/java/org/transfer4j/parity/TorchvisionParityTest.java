package org.transfer4j.parity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.transfer4j.SharedData;
import org.transfer4j.arch.Architectures;
import org.transfer4j.arch.Graph;
import org.transfer4j.exec.DjlExecutor;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.weights.PthReader;
import org.transfer4j.weights.Weights;

/**
 * Every architecture that torchvision also has must compute what torchvision computes: PyTorch
 * builds the model with seeded random weights (BatchNorm statistics randomised too, classifier of
 * unit gain so that logits are of order one and differ between photos), saves its
 * state_dict and runs four real photos; we read the {@code .pth}, write ONNX from our graph, run
 * it on ONNX Runtime and on DJL/libtorch on the same input batch and compare the logits.
 */
@Tag("shared")
class TorchvisionParityTest {

    /**
     * Allowed difference per unit of logit scale: 1e-4 absolute for logits within [-1, 1], relative
     * to the largest logit beyond. Float32 rounding alone moves PyTorch's own MobileNetV2 logits
     * (max 2.9) by 1.7e-5 from a float64 run, so a bare 1e-4 could flake on deeper networks with
     * larger logits, while real mistakes cost far more: 1% off one channel's running_var in one
     * layer already moves the logits by 1e-3.
     */
    private static final double TOLERANCE = 1e-4;
    private static final int SEED = 20240611;

    static Stream<String> torchvisionArchitectures() {
        return Architectures.all().stream().filter(Architectures.Entry::torchvision).map(Architectures.Entry::name);
    }

    @ParameterizedTest
    @MethodSource("torchvisionArchitectures")
    void logitsMatchPyTorch(String arch, @TempDir Path tmp) throws IOException {
        Graph graph = Architectures.build(arch);
        List<String> args = new ArrayList<>(List.of(arch, tmp.toString(), String.valueOf(graph.inputSize()),
                String.valueOf(SEED)));
        Path val = SharedData.dataset("hymenoptera").resolve("val");
        for (String cls : List.of("ants", "bees")) {
            try (Stream<Path> photos = Files.list(val.resolve(cls))) {
                photos.sorted().limit(2).forEach(p -> args.add(p.toString()));
            }
        }
        PythonScript.run("make_reference.py", args, 600);
        JsonNode meta = new ObjectMapper().readTree(tmp.resolve("meta.json").toFile());
        long[] inputShape = longs(meta.get("input_shape"));
        long[] logitsShape = longs(meta.get("logits_shape"));

        Path pth = tmp.resolve("weights.pth");
        Weights weights = PthReader.read(pth);
        weights.checkAgainst(graph, pth.toString());
        byte[] onnx = OnnxWriter.write(graph, weights, List.of(Graph.Outputs.FEATURES, Graph.Outputs.LOGITS));
        float[] input = floats(tmp.resolve("input.f32"));
        float[] expected = floats(tmp.resolve("logits.f32"));
        assertThat(inputShape).containsExactly(4, 3, graph.inputSize(), graph.inputSize());

        float[][] actual;
        try (OrtRunner ort = new OrtRunner(onnx, 2)) {
            Map<String, float[][]> out = ort.run(input, inputShape);
            actual = out.get(Graph.Outputs.LOGITS);
        }
        float[][] djl;
        try (DjlExecutor executor = new DjlExecutor(graph, weights)) {
            djl = executor.run(input, inputShape, List.of(Graph.Outputs.LOGITS)).get(Graph.Outputs.LOGITS);
        }
        assertThat(actual).hasDimensions((int) logitsShape[0], (int) logitsShape[1]);
        int width = (int) logitsShape[1];
        compare(arch, "ONNX Runtime", actual, expected, width);
        compare(arch, "DJL/libtorch", djl, expected, width);
    }

    private static void compare(String arch, String executor, float[][] actual, float[] expected, int width) {
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < width; j++) {
                float want = expected[i * width + j];
                maxDiff = Math.max(maxDiff, Math.abs(actual[i][j] - want));
                maxAbs = Math.max(maxAbs, Math.abs(want));
            }
        }
        double allowed = TOLERANCE * Math.max(1, maxAbs);
        System.err.printf("parity %s on %s: max |logit| %.4g, max abs difference %.3g (allowed %.3g)%n",
                arch, executor, maxAbs, maxDiff, allowed);
        assertThat(maxAbs).as("reference logits must not be near zero").isGreaterThan(0.25);
        assertThat(differentRows(expected, width)).as("the four photos must give different logits").isTrue();
        assertThat(maxDiff).as(arch + " logits on " + executor + " vs PyTorch").isLessThanOrEqualTo(allowed);
    }

    /** Whether every two photos' logits differ somewhere by more than 0.01. */
    private static boolean differentRows(float[] logits, int width) {
        int rows = logits.length / width;
        for (int a = 0; a < rows; a++) {
            for (int b = a + 1; b < rows; b++) {
                double most = 0;
                for (int j = 0; j < width; j++) {
                    most = Math.max(most, Math.abs(logits[a * width + j] - logits[b * width + j]));
                }
                if (most <= 0.01) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(out);
        return out;
    }
}
