package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code transfer4j evaluate} on a small model: the table, {@code --json}, {@code --report}, and its errors. */
class EvaluateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VAL_IMAGES = SmallHymenoptera.VAL_PER_CLASS * SmallHymenoptera.CLASSES.size();

    @TempDir
    static Path dir;
    private static Path data;
    private static Path model;

    @BeforeAll
    static void trainSmallModel() throws IOException {
        data = SmallHymenoptera.data(dir);
        model = SmallHymenoptera.train(data, dir);
    }

    private static void assertOneLineError(CliRun run, int exitCode, String... expected) {
        assertThat(run.exitCode()).isEqualTo(exitCode);
        assertThat(run.hasStackTrace()).isFalse();
        assertThat(run.err().lines().filter(l -> l.startsWith("transfer4j:")).toList()).hasSize(1);
        assertThat(run.err()).contains(expected);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void printsPerClassFiguresAccuracyBaselineAndConfusionOfTheValSplit() {
        CliRun run = CliRun.of("evaluate", model.toString(), data.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("class", "precision", "recall", "f1", "support", "ants", "bees")
                .containsPattern("accuracy \\d\\.\\d{4}  \\(majority-class baseline 0\\.5000, " + VAL_IMAGES + " images\\)")
                .contains("confusion matrix (rows: true, columns: predicted)");
        assertThat(run.hasStackTrace()).isFalse();
    }

    @Test
    void jsonHasTheFiguresAndAConsistentConfusionMatrix() throws IOException {
        CliRun run = CliRun.of("evaluate", model.toString(), data.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode e = JSON.readTree(run.out());
        assertThat(e.get("images").asInt()).isEqualTo(VAL_IMAGES);
        assertThat(e.get("classes").toString()).isEqualTo("[\"ants\",\"bees\"]");
        assertThat(e.get("majorityBaseline").asDouble()).isEqualTo(0.5);
        JsonNode confusion = e.get("confusion");
        int total = 0;
        int correct = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                total += confusion.get(i).get(j).asInt();
                correct += i == j ? confusion.get(i).get(j).asInt() : 0;
            }
            assertThat(confusion.get(i).get(0).asInt() + confusion.get(i).get(1).asInt())
                    .as("row %d holds that class's images", i).isEqualTo(SmallHymenoptera.VAL_PER_CLASS);
        }
        assertThat(total).isEqualTo(VAL_IMAGES);
        assertThat(e.get("accuracy").asDouble()).isEqualTo((double) correct / total);
        assertThat(e.get("perClass")).hasSize(2);
        assertThat(e.has("balancedAccuracy")).isTrue();
    }

    @Test
    void reportWritesOneSelfContainedHtmlFile() throws IOException {
        Path report = dir.resolve("reports/evaluation.html");
        CliRun run = CliRun.of("evaluate", model.toString(), data.toString(), "--report", report.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("report written to");
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(html).contains("<html", "majority-class baseline", "ants", "bees");
    }

    @Test
    void aMissingBundleFailsWithOneLine() {
        Path nowhere = dir.resolve("no-model");
        assertOneLineError(CliRun.of("evaluate", nowhere.toString(), data.toString()), 1,
                nowhere + ": no such model folder");
    }

    @Test
    void aFolderWithoutAModelFailsWithOneLine() {
        assertOneLineError(CliRun.of("evaluate", data.toString(), data.toString()), 1, "not a transfer4j model");
    }

    @Test
    void aMissingDataFolderFailsWithOneLine() {
        Path nowhere = dir.resolve("no-data");
        assertOneLineError(CliRun.of("evaluate", model.toString(), nowhere.toString()), 1, nowhere.toString(),
                "does not exist");
    }

    @Test
    void badUsageExitsTwoNamingWhatIsWrong() {
        assertOneLineError(CliRun.of("evaluate", model.toString()), 2, "Missing required parameter: 'DATA'");
        assertOneLineError(CliRun.of("evaluate", model.toString(), data.toString(), "--top", "3"), 2,
                "Unknown option", "'--top'");
        assertOneLineError(CliRun.of("evaluate", model.toString(), data.toString(), "--report"), 2, "--report");
    }
}
