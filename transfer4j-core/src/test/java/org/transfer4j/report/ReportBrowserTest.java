package org.transfer4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.TestRequirements;

/**
 * A report as a user sees it: headless Chromium opens {@code report.html} from disk; no console
 * errors, every image loaded, a screenshot that is not blank. The screenshot is kept under
 * {@code target/report-browser/}. Skipped only when chromium is not installed, and then failed under {@code CI=true} ({@code .ci/run}
 * installs Debian's {@code chromium}).
 */
class ReportBrowserTest {

    static final Path ARTEFACTS = Path.of("target", "report-browser");

    /** Opens a page and keeps its screenshot; skips when chromium is absent ({@link TestRequirements}). */
    static HeadlessChromium.PageCheck check(Path html, Path tmp, String name) throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        TestRequirements.require(chromium.isPresent(), "chromium (apt-get install chromium)");
        HeadlessChromium.PageCheck page = HeadlessChromium.open(chromium.get(), html, tmp.resolve("profile-" + name));
        Files.createDirectories(ARTEFACTS);
        ImageIO.write(page.screenshot(), "png", ARTEFACTS.resolve(name + ".png").toFile());
        return page;
    }

    /** Variance of the screenshot's grey levels: 0 for a blank page. */
    static double greyVariance(BufferedImage img) {
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int p = img.getRGB(x, y);
                double grey = 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
                sum += grey;
                sq += grey * grey;
                n++;
            }
        }
        double mean = sum / n;
        return sq / n - mean * mean;
    }

    @Test
    void reportOpensInChromiumWithoutErrorsAndWithEveryImage(@TempDir Path tmp) throws Exception {
        SyntheticRun run = new SyntheticRun(tmp.resolve("data"));
        Map<String, byte[]> files;
        try (GradCam cam = SyntheticRun.tinyGradCam()) {
            files = new ReportWriter(run.manifest, run.scored, "the synthetic test split").gradCam(cam).files();
        }
        Path html = tmp.resolve("bundle").resolve(ReportWriter.HTML);
        ReportWriter.save(html.getParent(), files);
        String text = Files.readString(html, StandardCharsets.UTF_8);
        long imgTags = text.split("<img ", -1).length - 1;

        HeadlessChromium.PageCheck page = check(html, tmp, "synthetic-report");

        System.err.printf("report: %d bytes, %d images, screenshot grey variance %.1f, errors %s%n",
                text.length(), page.imageWidths().size(), greyVariance(page.screenshot()), page.errors());
        assertThat(page.errors()).as("console errors").isEmpty();
        assertThat(page.imageWidths()).as("every <img> of the file").hasSize((int) imgTags);
        // 3 plots (loss, accuracy, confusion) + 24 grid + 12 top losses + Grad-CAM pairs (3 wrong + 6 right)
        assertThat(page.imageWidths()).hasSize(3 + 24 + 12 + 2 * 9);
        assertThat(page.imageWidths()).as("naturalWidth of every image").allSatisfy(w -> assertThat(w).isPositive());
        assertThat(page.screenshot().getWidth()).isEqualTo(1280);
        assertThat(greyVariance(page.screenshot())).as("a screenshot with something on it").isGreaterThan(100);
    }

    @Test
    void theCheckCatchesBrokenImagesScriptErrorsAndBlankPages(@TempDir Path tmp) throws Exception {
        Path broken = tmp.resolve("broken.html");
        Files.writeString(broken, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>"
                + "<img src=\"data:image/png;base64,AAAA\" alt=\"bad\"><img src=\"missing.png\" alt=\"gone\">"
                + "<script>console.error('boom'); undefinedFunction();</script></body></html>");
        HeadlessChromium.PageCheck page = check(broken, tmp, "broken-page");
        System.err.println("errors seen on the broken page: " + page.errors());
        assertThat(page.errors()).anySatisfy(e -> assertThat(e).contains("boom"));
        assertThat(page.errors()).anySatisfy(e -> assertThat(e).contains("undefinedFunction"));
        assertThat(page.imageWidths()).containsExactly(0, 0);
        assertThat(greyVariance(page.screenshot())).as("an almost blank page").isLessThan(100);
    }
}
