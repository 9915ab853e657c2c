package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.doctor.HardeningCorpus;
import org.transfer4j.model.ImageClassifier;

/**
 * Issue 6, "must show" 1: on the hardening corpus, {@code inspect} reports every awkward file,
 * {@code train} completes on the good ones and names each bad one with its reason, and nothing prints
 * a stack trace.
 */
class InspectHardeningTest {

    @TempDir
    static Path tmp;

    static HardeningCorpus corpus;

    @BeforeAll
    static void writeCorpus() throws IOException {
        corpus = HardeningCorpus.write(tmp.resolve("data"));
        System.err.println("file without read permission: " + (corpus.permissionsEnforced()
                ? "cannot be read, expected to be reported" : "readable (tests run as root: chmod 000 does not stop "
                + "root), so it is an ordinary image here"));
    }

    @Test
    void inspectReportsEveryBadAndOddFile() {
        CliRun run = CliRun.of("inspect", corpus.root().toString(), "--all");
        assertThat(run.exitCode()).isZero();
        assertThat(run.hasStackTrace()).isFalse();
        for (Map.Entry<String, String> bad : corpus.bad().entrySet()) {
            assertThat(run.out()).as("bad file %s", bad.getKey())
                    .containsPattern("(?m)^ +" + java.util.regex.Pattern.quote(bad.getKey()) + ".*" + bad.getValue());
        }
        for (Map.Entry<String, String> odd : corpus.odd().entrySet()) {
            String block = findingBlock(run.out(), odd.getValue());
            assertThat(block).as("finding [%s] lists %s", odd.getValue(), odd.getKey()).contains("    " + odd.getKey());
        }
        assertThat(run.out()).doesNotContain("chien été 🐕 n°1.jpg").doesNotContain("deep.jpg");
        if (!corpus.permissionsEnforced()) {
            assertThat(run.out()).doesNotContain(HardeningCorpus.NO_PERMISSION);
        }
        // the unicode-named, nested and (as root) permission-less images are counted as readable images
        assertThat(run.out()).containsPattern("dogs +\\d+ +\\d+");
    }

    @Test
    void strictFailsAndJsonIsMachineReadable() throws IOException {
        CliRun strict = CliRun.of("inspect", corpus.root().toString(), "--strict");
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.err()).contains("--strict");
        assertThat(strict.hasStackTrace()).isFalse();

        CliRun json = CliRun.of("inspect", corpus.root().toString(), "--json");
        assertThat(json.exitCode()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.get("classes")).hasSize(2);
        assertThat(report.get("unreadable")).hasSize(corpus.bad().size());
        assertThat(report.get("kinds").get("animated").asInt()).isEqualTo(1);
        assertThat(report.get("kinds").get("cmyk").asInt()).isEqualTo(1);
        assertThat(report.get("kinds").get("16-bit").asInt()).isEqualTo(1);
    }

    @Test
    void maxPixelsIsConfigurable() {
        CliRun run = CliRun.of("inspect", corpus.root().toString(), "--max-pixels", "5000", "--all");
        assertThat(run.exitCode()).isZero();
        // every 96×96 image is now over the limit; the 30000×30000 header still is, with the limit named
        assertThat(run.out()).contains("more than the limit of 5,000").contains("cats/good_0.jpg");
    }

    @Test
    void trainCompletesOnTheGoodFilesAndNamesEachBadOne() {
        Path out = tmp.resolve("model");
        CliRun run = CliRun.of("train", corpus.root().toString(), "--weights-dir", SharedData.pretrained().toString(),
                "--epochs", "1", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.hasStackTrace()).isFalse();
        for (Map.Entry<String, String> bad : corpus.bad().entrySet()) {
            assertThat(run.err()).as("train names %s", bad.getKey())
                    .containsPattern("skipped \\S*" + java.util.regex.Pattern.quote(bad.getKey()) + ".*" + bad.getValue());
        }
        try (ImageClassifier model = ImageClassifier.load(out)) {
            assertThat(model.classes()).containsExactly("cats", "dogs");
            assertThat(model.manifest().training().split().train()).contains("dogs/chien été 🐕 n°1.jpg")
                    .anyMatch(p -> p.endsWith("deep.jpg") || p.endsWith("palette.png"));
        }
    }

    @Test
    void trainWarnsAboutLeakageAndNamesThePair() throws IOException {
        Path data = tmp.resolve("leaky");
        org.transfer4j.data.SyntheticImages.write(data.resolve("train"), 2, 12, 64, 1);
        org.transfer4j.data.SyntheticImages.write(data.resolve("val"), 2, 4, 64, 2);
        java.nio.file.Files.copy(data.resolve("train/class1/img_005.jpg"), data.resolve("val/class1/copy.jpg"));
        Path out = tmp.resolve("leaky-model");
        CliRun run = CliRun.of("train", data.toString(), "--weights-dir", SharedData.pretrained().toString(),
                "--epochs", "1", "--out", out.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("data check: 1 warning(s)").contains("exact copies of training images")
                .contains("train/class1/img_005.jpg = val/class1/copy.jpg");
        try (ImageClassifier model = ImageClassifier.load(out)) {
            assertThat(model.manifest().run().dataWarnings().toString()).contains("leakage-exact")
                    .contains("val/class1/copy.jpg");
        }
    }

    private static String findingBlock(String report, String code) {
        int start = report.indexOf("[" + code + "]");
        assertThat(start).as("finding [%s] in\n%s", code, report).isNotNegative();
        int end = report.indexOf("\n  fix:", start);
        return report.substring(start, end);
    }
}
