package org.transfer4j.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every torchvision architecture's parameters against torchvision 0.14 itself: the same keys in the
 * same order with the same shapes, and the same parameter count as torchvision's model and as the
 * count its weights' metadata publishes.
 */
class TorchvisionNamesTest {

    @TempDir
    static Path reference;

    static Stream<String> torchvisionNames() {
        return Architectures.all().stream().filter(Architectures.Entry::torchvision).map(Architectures.Entry::name);
    }

    @BeforeAll
    static void dumpStateDicts() throws IOException, InterruptedException {
        TorchvisionScript.run("state_dict_shapes.py", reference, torchvisionNames().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("torchvisionNames")
    void parameterNamesAndShapesEqualTorchvision(String name) throws IOException {
        JsonNode doc = read(name);
        List<String> expected = new ArrayList<>();
        for (JsonNode entry : doc.get("keys")) {
            List<Long> dims = new ArrayList<>();
            entry.get(1).forEach(d -> dims.add(d.asLong()));
            expected.add(entry.get(0).asText() + " " + dims);
        }
        List<String> actual = new ArrayList<>();
        for (Map.Entry<String, long[]> p : Architectures.build(name).parameters().entrySet()) {
            actual.add(p.getKey() + " " + Arrays.toString(p.getValue()));
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("torchvisionNames")
    void parameterCountEqualsTorchvision(String name) throws IOException {
        JsonNode doc = read(name);
        long count = trainableParameters(Architectures.build(name));
        assertThat(count).isEqualTo(doc.get("num_params").asLong());
        assertThat(count).isEqualTo(doc.get("published_params").asLong());
    }

    /** Parameters without batch-norm's running statistics, as PyTorch's {@code parameters()} counts. */
    static long trainableParameters(Graph g) {
        long n = 0;
        for (Map.Entry<String, long[]> p : g.parameters().entrySet()) {
            if (!p.getKey().endsWith("running_mean") && !p.getKey().endsWith("running_var")) {
                n += Arrays.stream(p.getValue()).reduce(1, (a, b) -> a * b);
            }
        }
        return n;
    }

    private static JsonNode read(String name) throws IOException {
        return new ObjectMapper().readTree(reference.resolve(name + ".json").toFile());
    }
}
