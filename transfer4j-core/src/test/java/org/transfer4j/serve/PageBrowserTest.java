package org.transfer4j.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.transfer4j.SharedData;
import org.transfer4j.TestRequirements;
import org.transfer4j.Transfer;
import org.transfer4j.data.ImageDecoder;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Prediction;

/**
 * The web page in a real browser (Selenium WebDriver, Debian's chromium-driver): a server on a
 * cats_dogs model; the page uploads a cat photo and shows "cats" and the Grad-CAM image, then an ant
 * photo and shows "unknown"; then its live-camera button, with chromium's fake camera filming a cat
 * photo, takes a picture that shows "cats".
 */
@Tag("shared")
@Tag("slow")
class PageBrowserTest {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void aCatIsCatsWithItsGradCamAndAnAntIsUnknown(@TempDir Path dir) throws IOException {
        TestRequirements.require(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "chromium and chromium-driver at " + CHROMIUM + " and " + CHROMEDRIVER);
        Path catsDogs = SharedData.dataset("cats_dogs");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (ImageClassifier model = Transfer.from(catsDogs).weightsDir(SharedData.pretrained())
                .cacheDir(SharedData.featureCache()).progress(false).log(quiet).train()) {
            model.save(dir.resolve("pets"));
        }
        Path cat;
        Path filmed;
        Path ant;
        try (ImageClassifier model = ImageClassifier.load(dir.resolve("pets"))) {
            cat = first(catsDogs.resolve("test/cats"), model, p -> p.label().equals("cats") && !p.isUnknown());
            // the camera's picture is the photo re-encoded by the page's canvas: one well inside the threshold
            filmed = first(catsDogs.resolve("test/cats"), model, p -> p.label().equals("cats") && !p.isUnknown()
                    && p.verdict().score() < 0.7 * p.verdict().threshold());
            ant = first(SharedData.dataset("hymenoptera").resolve("val/ants"), model, Prediction::isUnknown);
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=412,915",
                        // a camera that films one photo (a one-frame Y4M video), allowed without asking
                        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                        "--use-file-for-fake-video-capture=" + y4m(ImageDecoder.decodeRgb(filmed), dir.resolve("camera.y4m")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        try (ModelServer server = ModelServer.start(Map.of("pets", dir.resolve("pets")),
                ModelServer.Options.defaults().withPort(0))) {
            WebDriver browser = new ChromeDriver(service, options);
            try {
                browser.get("http://127.0.0.1:" + server.port() + "/");
                waitFor(() -> !browser.findElements(By.cssSelector("#model option")).isEmpty());
                upload(browser, cat);
                waitFor(() -> !browser.findElement(By.id("verdict")).getText().isBlank()
                        && browser.findElement(By.id("cam")).getAttribute("src") != null
                        && browser.findElement(By.id("cam")).getAttribute("src").startsWith("blob:"));
                assertThat(browser.findElement(By.id("verdict")).getText()).isEqualTo("cats");
                assertThat(browser.findElement(By.id("bars")).getText()).contains("cats").contains("dogs");
                assertThat(browser.findElement(By.id("camBox")).isDisplayed()).isTrue();
                assertThat(browser.findElement(By.id("card")).getText()).contains("cats, dogs");
                upload(browser, ant);
                waitFor(() -> browser.findElement(By.id("verdict")).getText().startsWith("unknown"));
                assertThat(browser.findElement(By.id("verdict")).getText()).contains("nearest");
                browser.findElement(By.id("camera")).click();
                waitFor(() -> browser.findElement(By.id("shoot")).isDisplayed() && ((Number) ((JavascriptExecutor) browser)
                        .executeScript("return document.getElementById('video').videoWidth")).intValue() > 16);
                browser.findElement(By.id("shoot")).click();
                waitFor(() -> browser.findElement(By.id("verdict")).getText().equals("cats")
                        || !browser.findElement(By.id("error")).getText().isEmpty(), () -> "; it shows \""
                        + browser.findElement(By.id("verdict")).getText() + "\"");
                assertThat(browser.findElement(By.id("verdict")).getText() + browser.findElement(By.id("error")).getText())
                        .isEqualTo("cats");
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * Writes an image as a one-frame YUV4MPEG2 video (4:2:0, full-range BT.601), the format chromium's
     * fake camera plays; an odd last row or column is dropped.
     */
    private static String y4m(BufferedImage image, Path file) throws IOException {
        int w = image.getWidth() & ~1;
        int h = image.getHeight() & ~1;
        byte[] y = new byte[w * h];
        byte[] u = new byte[w * h / 4];
        byte[] v = new byte[w * h / 4];
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                int rgb = image.getRGB(col, row);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                y[row * w + col] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                if (row % 2 == 0 && col % 2 == 0) {
                    int i = row / 2 * (w / 2) + col / 2;
                    u[i] = (byte) Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
                    v[i] = (byte) Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("YUV4MPEG2 W" + w + " H" + h + " F30:1 Ip A1:1 C420jpeg\nFRAME\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(y);
        out.writeBytes(u);
        out.writeBytes(v);
        Files.write(file, out.toByteArray());
        return file.toString();
    }

    private static void upload(WebDriver browser, Path image) {
        WebElement input = browser.findElement(By.id("file"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].hidden = false; arguments[0].value = '';", input);
        input.sendKeys(image.toAbsolutePath().toString());
    }

    /** The first image (by name) of a folder for which the model's prediction passes the test. */
    private static Path first(Path folder, ImageClassifier model, java.util.function.Predicate<Prediction> test)
            throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            if (test.test(model.predict(f))) {
                return f;
            }
        }
        throw new AssertionError("no image in " + folder + " fits");
    }

    private static void waitFor(Supplier<Boolean> condition) {
        waitFor(condition, () -> "");
    }

    /** Waits for the condition; the failure message ends with what {@code state} says the page shows. */
    private static void waitFor(Supplier<Boolean> condition, Supplier<String> state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not get there within 30 s" + state.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
