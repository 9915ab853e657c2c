package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.weights.WeightRegistry;
import org.transfer4j.weights.WeightSet;

/** {@code transfer4j backbones}: one row per weight set of the registry, as a table or JSON, with its status here. */
class BackbonesCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void tableHasAHeaderAndOneRowPerWeightSet() {
        CliRun run = CliRun.of("backbones", "--weights-dir", tmp.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("backbone").contains("weights", "family", "parameters", "features",
                "input", "top-1", "status");
        List<WeightSet> sets = WeightRegistry.all();
        assertThat(lines).hasSize(1 + sets.size() + 2);
        assertThat(lines.get(lines.size() - 1)).as("offline in tests, nothing in the folder")
                .startsWith("--backbone mobilenet_v2 (the default) ");
        for (int i = 0; i < sets.size(); i++) {
            assertThat(lines.get(1 + i).split("\\s+")).as(sets.get(i).id())
                    .startsWith(sets.get(i).backbone(), sets.get(i).tag());
        }
        assertThat(run.hasStackTrace()).isFalse();
    }

    @Test
    void jsonListsEveryWeightSetWithItsFacts() throws IOException {
        CliRun run = CliRun.of("backbones", "--json", "--weights-dir", tmp.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode rows = JSON.readTree(run.out());
        List<WeightSet> sets = WeightRegistry.all();
        assertThat(rows).hasSize(sets.size());
        for (int i = 0; i < sets.size(); i++) {
            JsonNode row = rows.get(i);
            assertThat(row.get("backbone").asText()).isEqualTo(sets.get(i).backbone());
            assertThat(row.get("weights").asText()).isEqualTo(sets.get(i).tag());
            assertThat(row.get("file").asText()).isEqualTo(sets.get(i).fileName());
            assertThat(row.get("parameters").asLong()).isPositive();
            assertThat(row.get("featureWidth").asInt()).isPositive();
            assertThat(row.get("inputSize").asInt()).isPositive();
            assertThat(row.get("status").asText()).as("nothing in an empty --weights-dir")
                    .isIn("cached", "embedded", "downloadable", "missing");
        }
    }

    @Test
    void weightsInWeightsDirAreLocal() throws IOException {
        CliRun run = CliRun.of("backbones", "--json", "--weights-dir", SharedData.pretrained().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode rows = JSON.readTree(run.out());
        boolean mobilenetV2Local = false;
        for (JsonNode row : rows) {
            mobilenetV2Local |= row.get("backbone").asText().equals("mobilenet_v2")
                    && row.get("status").asText().equals("local");
        }
        assertThat(mobilenetV2Local).as("mobilenet_v2 weights found in " + SharedData.pretrained()).isTrue();
        List<String> used = new java.util.ArrayList<>();
        for (JsonNode row : rows) {
            if (row.get("used").asBoolean()) {
                used.add(row.get("backbone").asText() + ":" + row.get("weights").asText());
            }
        }
        assertThat(used).as("one weight set per backbone whose weights are here").contains("mobilenet_v2:torchscript-int8")
                .doesNotContain("mobilenet_v2:tflite-quant", "mobilenet_v2:torchvision");
    }

    @Test
    void saysWhichWeightSetTheDefaultBackboneUses() {
        CliRun run = CliRun.of("backbones", "--weights-dir", SharedData.pretrained().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("--backbone mobilenet_v2 (the default) uses "
                + "mobilenet_v2:torchscript-int8 (mobilenet_quantized.pt, local): the most accurate of its weight sets "
                + "on this machine, by published ImageNet top-1");
        String row = lines.stream().filter(l -> l.startsWith("mobilenet_v2 ") && l.contains("torchscript-int8"))
                .findFirst().orElseThrow();
        assertThat(row).endsWith("local        yes").contains("71.7%");
    }

    @Test
    void badUsageExitsTwoNamingTheValue() {
        CliRun extra = CliRun.of("backbones", "resnet18");
        assertThat(extra.exitCode()).isEqualTo(2);
        assertThat(extra.err()).contains("transfer4j: ").contains("'resnet18'");
        CliRun unknown = CliRun.of("backbones", "--format", "xml");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option").contains("'--format'");
        assertThat(unknown.err().lines().filter(l -> l.startsWith("transfer4j:")).toList()).hasSize(1);
        assertThat(extra.hasStackTrace() || unknown.hasStackTrace()).isFalse();
    }
}
