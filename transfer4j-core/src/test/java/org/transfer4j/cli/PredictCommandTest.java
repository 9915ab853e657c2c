package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code transfer4j predict} on a small model: text, {@code --csv}, {@code --json}, {@code --top}, and its errors. */
class PredictCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINE = "\\S+(  unknown \\(distance \\S+ > \\S+, nearest (ants|bees)\\))?  (ants|bees) [01]\\.\\d{4}";

    @TempDir
    static Path dir;
    private static Path model;
    private static Path bees;
    private static Path bee;

    @BeforeAll
    static void trainSmallModel() throws IOException {
        Path data = SmallHymenoptera.data(dir);
        model = SmallHymenoptera.train(data, dir);
        bees = data.resolve("val/bees");
        try (Stream<Path> files = Files.list(bees)) {
            bee = files.sorted().findFirst().orElseThrow();
        }
    }

    private static void assertOneLineError(CliRun run, int exitCode, String... expected) {
        assertThat(run.exitCode()).isEqualTo(exitCode);
        assertThat(run.hasStackTrace()).isFalse();
        assertThat(run.err().lines().filter(l -> l.startsWith("transfer4j:")).toList()).hasSize(1);
        assertThat(run.err()).contains(expected);
    }

    @Test
    void printsOneLinePerImageOfAFolderSearchedRecursively() {
        CliRun run = CliRun.of("predict", model.toString(), bees.getParent().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(SmallHymenoptera.VAL_PER_CLASS * 2).allMatch(l -> l.matches(LINE), "image  label p");
        assertThat(lines.get(0)).startsWith(bees.getParent().resolve("ants").toString());
    }

    @Test
    void topTwoListsBothClassesWithProbabilitiesSummingToOne() {
        CliRun run = CliRun.of("predict", model.toString(), bee.toString(), "--top", "2", "--no-unknown");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] fields = run.out().strip().split("  ");
        assertThat(fields).hasSize(3);
        assertThat(fields[0]).isEqualTo(bee.toString());
        assertThat(List.of(fields[1].split(" ")[0], fields[2].split(" ")[0])).containsExactlyInAnyOrder("ants", "bees");
        double sum = Double.parseDouble(fields[1].split(" ")[1]) + Double.parseDouble(fields[2].split(" ")[1]);
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(2e-4));
    }

    @Test
    void csvHasAHeaderAndOneRowPerImageAndClass() {
        CliRun run = CliRun.of("predict", model.toString(), bees.toString(), "--csv", "--top", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> rows = run.out().lines().toList();
        assertThat(rows.get(0)).isEqualTo("image,label,probability,unknown,distance");
        assertThat(rows.subList(1, rows.size())).hasSize(2 * SmallHymenoptera.VAL_PER_CLASS)
                .allMatch(r -> r.matches("[^,]+,(ants|bees),[01]\\.\\d{6},(true|false),\\d+\\.\\d{6}"),
                        "image,label,probability,unknown,distance");
        CliRun plain = CliRun.of("predict", model.toString(), bee.toString(), "--csv", "--no-unknown");
        assertThat(plain.out().lines().skip(1)).singleElement().satisfies(r -> assertThat(r).endsWith(",,"));
    }

    @Test
    void jsonHasLabelProbabilityAndTheTopClasses() throws IOException {
        CliRun run = CliRun.of("predict", model.toString(), bee.toString(), "--json", "--top", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode rows = JSON.readTree(run.out());
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.get("image").asText()).isEqualTo(bee.toString());
        assertThat(row.get("label").asText()).isIn("ants", "bees");
        assertThat(row.get("top")).hasSize(2);
        assertThat(row.get("top").get(0).get("label").asText()).isEqualTo(row.get("label").asText());
        assertThat(row.get("top").get(0).get("probability").asDouble()).isEqualTo(row.get("probability").asDouble())
                .isBetween(0.5, 1.0);
    }

    @Test
    void thresholdZeroCallsEveryImageUnknownWithTheNearestClass() throws IOException {
        CliRun text = CliRun.of("predict", model.toString(), bees.toString(), "--threshold", "0");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out().lines().toList()).hasSize(SmallHymenoptera.VAL_PER_CLASS)
                .allMatch(l -> l.matches("\\S+  unknown \\(distance 0\\.\\d{4} > 0\\.0000, nearest (ants|bees)\\)  "
                        + "(ants|bees) [01]\\.\\d{4}"), "image  unknown (...)  label p");
        JsonNode row = JSON.readTree(CliRun.of("predict", model.toString(), bee.toString(), "--json").out()).get(0);
        assertThat(row.has("unknown")).isTrue();
        assertThat(row.get("threshold").asDouble()).isGreaterThan(0);
        assertThat(row.get("nearestClass").asText()).isIn("ants", "bees");
        JsonNode none = JSON.readTree(CliRun.of("predict", model.toString(), bee.toString(), "--json", "--no-unknown")
                .out()).get(0);
        assertThat(none.has("unknown")).isFalse();
        assertOneLineError(CliRun.of("predict", model.toString(), bee.toString(), "--threshold", "0.1", "--no-unknown"),
                2, "--threshold and --no-unknown exclude each other");
    }

    @Test
    void anUnreadableImageIsSkippedNamedAndExitsOneWhileTheOthersArePredicted() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not an image");
        CliRun run = CliRun.of("predict", model.toString(), bee.toString(), text.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.hasStackTrace()).isFalse();
        assertThat(run.err()).contains("transfer4j: skipped").contains("notes.jpg");
        assertThat(run.out().lines().toList()).hasSize(1).allMatch(l -> l.startsWith(bee.toString()));
    }

    @Test
    void aMissingBundleFailsWithOneLine() {
        Path nowhere = dir.resolve("no-model");
        assertOneLineError(CliRun.of("predict", nowhere.toString(), bee.toString()), 1, nowhere + ": no such model folder");
    }

    @Test
    void badValuesExitTwoNamingTheValue() {
        assertOneLineError(CliRun.of("predict", model.toString(), bee.toString(), "--top", "0"), 2,
                "--top must be at least 1, got 0");
        assertOneLineError(CliRun.of("predict", model.toString(), bee.toString(), "--top", "two"), 2, "'--top': 'two'");
        assertOneLineError(CliRun.of("predict", model.toString(), bee.toString(), "--json", "--csv"), 2,
                "--json, --csv are mutually exclusive");
        assertOneLineError(CliRun.of("predict", model.toString()), 2, "IMAGE");
    }
}
