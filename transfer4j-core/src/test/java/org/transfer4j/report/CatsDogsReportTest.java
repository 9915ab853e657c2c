package org.transfer4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.TestRequirements;
import org.transfer4j.Transfer;
import org.transfer4j.cli.Main;
import org.transfer4j.model.ImageClassifier;

/**
 * The cats_dogs run with default settings and the real MobileNetV2 weights: the bundle's report and
 * model card are complete, the report stays under 10 MB and opens cleanly in Chromium; {@code report}
 * regenerates it from the bundle and {@code explain} writes Grad-CAM overlays.
 */
@Tag("shared")
@Tag("slow")
class CatsDogsReportTest {

    private static final long TEN_MB = 10L * 1024 * 1024;

    @Test
    void catsDogsReportAndModelCardAreComplete(@TempDir Path tmp) throws Exception {
        Path bundle = tmp.resolve("cats_dogs");
        try (ImageClassifier model = Transfer.from(SharedData.dataset("cats_dogs")).weightsDir(SharedData.pretrained())
                .cacheDir(SharedData.featureCache()).fit().withReport(System.err)) {
            model.save(bundle);
        }
        for (String png : List.of("loss.png", "accuracy.png", "confusion.png", "predictions.png")) {
            assertThat(bundle.resolve(png)).isNotEmptyFile();
        }
        Path html = bundle.resolve(ReportWriter.HTML);
        long size = Files.size(html);
        System.err.printf("cats_dogs report.html: %.2f MB%n", size / 1048576.0);
        assertThat(size).isLessThan(TEN_MB);
        assertComplete(Files.readString(html, StandardCharsets.UTF_8));
        String card = Files.readString(bundle.resolve(ReportWriter.MODEL_CARD), StandardCharsets.UTF_8);
        for (String heading : ModelCard.SECTIONS) {
            assertThat(card).contains(heading);
        }
        assertThat(card).contains("| cats | 450 | 50 | 250 |", "| dogs | 450 | 50 | 250 |", "On the test split of cats_dogs, 500 images")
                .doesNotContain("Warning")
                .contains("Will ImageNet help? transfer check (mobilenet_v2:torchscript-int8, 900 training images): close;");
        assertThat(Files.readString(html, StandardCharsets.UTF_8)).contains("will ImageNet help?", "kNN accuracy");

        if (TestRequirements.optional(HeadlessChromium.find().isPresent(), "chromium (apt-get install chromium)")) {
            HeadlessChromium.PageCheck page = ReportBrowserTest.check(html, tmp, "cats-dogs-report");
            assertThat(page.errors()).isEmpty();
            assertThat(page.imageWidths()).isNotEmpty().allSatisfy(w -> assertThat(w).isPositive());
            assertThat(ReportBrowserTest.greyVariance(page.screenshot())).isGreaterThan(100);
        }

        Path regenerated = tmp.resolve("regenerated");
        int code = Main.newCommandLine().execute("report", bundle.toString(), "--out",
                regenerated.toString());
        assertThat(code).isZero();
        assertComplete(Files.readString(regenerated.resolve(ReportWriter.HTML), StandardCharsets.UTF_8));
        assertThat(regenerated.resolve(ReportWriter.MODEL_CARD)).isNotEmptyFile();

        Path cat;
        try (Stream<Path> cats = Files.list(SharedData.dataset("cats_dogs").resolve("test/cats"))) {
            cat = cats.sorted().findFirst().orElseThrow();
        }
        Path explained = tmp.resolve("explain");
        code = Main.newCommandLine().execute("explain", bundle.toString(), cat.toString(), "--out", explained.toString());
        assertThat(code).isZero();
        String stem = cat.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        assertThat(explained.resolve(stem + "-gradcam.png")).isNotEmptyFile();
    }

    private static void assertComplete(String html) {
        for (String id : HtmlReport.SECTIONS) {
            assertThat(html).contains("<h2 id=\"" + id + "\">");
        }
        assertThat(html).doesNotContain("class=\"warn\"");
        assertThat(html.split("alt=\"Grad-CAM\"", -1).length - 1).as("Grad-CAM overlays").isGreaterThanOrEqualTo(6);
        assertThat(html).contains("majority-class baseline", "cats", "dogs", "top-2 accuracy");
    }
}
