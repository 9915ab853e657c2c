package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.model.ModelBundle;

/**
 * Issue 4, "must show" 5: {@code lr-find} on hymenoptera writes its plot and curve, and the rate it
 * suggests trains the frozen head stably (training loss falls, nothing is NaN, validation accuracy at
 * least 0.9).
 */
class LrFindCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void suggestionTrainsStablyOnHymenoptera() throws IOException {
        String data = SharedData.dataset("hymenoptera").toString();
        String weights = SharedData.pretrained().toString();
        Path out = tmp.resolve("lr");
        CliRun find = CliRun.of("lr-find", data, "--weights-dir", weights, "--out", out.toString(), "--json");
        assertThat(find.exitCode()).as(find.err()).isZero();

        BufferedImage plot = ImageIO.read(out.resolve(LrFindCommand.PLOT).toFile());
        assertThat(plot).isNotNull();
        assertThat(plot.getWidth()).isEqualTo(800);
        JsonNode curve = JSON.readTree(out.resolve(LrFindCommand.DATA).toFile());
        JsonNode printed = JSON.readTree(find.out().strip());
        assertThat(printed).isEqualTo(curve);
        int points = curve.get("rates").size();
        assertThat(points).isBetween(10, 100);
        assertThat(curve.get("losses").size()).isEqualTo(points);
        assertThat(curve.get("smoothedLosses").size()).isEqualTo(points);
        for (JsonNode loss : curve.get("losses")) {
            assertThat(loss.isNumber() && Double.isFinite(loss.asDouble())).as(loss.toString()).isTrue();
        }
        double suggestion = curve.get("suggestion").asDouble();
        assertThat(suggestion).isBetween(1e-7, 10.0);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("only the two results, no temporary files").containsExactlyInAnyOrder("lr-find.png", "lr-find.json");
        }
        System.out.printf("lr-find on hymenoptera: %d points, diverged %s, suggestion %.3e (%s)%n", points,
                curve.get("diverged").asBoolean(), suggestion, curve.get("rule").asText());

        CliRun again = CliRun.of("lr-find", data, "--weights-dir", weights, "--out", tmp.resolve("lr2").toString());
        assertThat(again.out().strip()).matches("suggested learning rate \\d\\.\\de-\\d\\d \\(.+\\)")
                .contains(String.format(java.util.Locale.ROOT, "%.1e", suggestion));

        Path model = tmp.resolve("model");
        CliRun train = CliRun.of("train", data, "--weights-dir", weights, "--lr", String.valueOf(suggestion),
                "--out", model.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        JsonNode metrics = JSON.readTree(model.resolve(ModelBundle.MANIFEST).toFile()).get("run");
        JsonNode history = metrics.get("history");
        double first = history.get(0).get("trainLoss").asDouble();
        double last = history.get(history.size() - 1).get("trainLoss").asDouble();
        for (JsonNode epoch : history) {
            assertThat(epoch.get("trainLoss").isNumber() && epoch.get("validationLoss").isNumber())
                    .as("no NaN in " + epoch).isTrue();
        }
        double accuracy = metrics.get("test").get("accuracy").asDouble();
        System.out.printf("train --lr %.3e: train loss %.4f -> %.4f, test accuracy %.4f%n", suggestion, first, last,
                accuracy);
        assertThat(last).isLessThan(first);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void badRangeIsOneClearLine() {
        Path out = tmp.resolve("bad");
        CliRun run = CliRun.of("lr-find", tmp.toString(), "--min-lr", "0.1", "--max-lr", "0.01", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--max-lr must be above --min-lr 0.1, got 0.01");
        assertThat(run.hasStackTrace()).isFalse();
        assertThat(out).doesNotExist();
        CliRun steps = CliRun.of("lr-find", tmp.toString(), "--steps", "3", "--out", out.toString());
        assertThat(steps.exitCode()).isEqualTo(2);
        assertThat(steps.err()).contains("--steps must be at least 10, got 3");
    }
}
