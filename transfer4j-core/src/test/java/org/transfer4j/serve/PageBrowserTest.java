package org.transfer4j.serve;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Prediction;

/**
 * The web page in a real browser (Selenium WebDriver, Debian's chromium-driver): a server on a
 * cats_dogs model; the page uploads a cat photo and shows "cats" and the Grad-CAM image, then an ant
 * photo and shows "unknown".
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
        Path ant;
        try (ImageClassifier model = ImageClassifier.load(dir.resolve("pets"))) {
            cat = first(catsDogs.resolve("test/cats"), model, p -> p.label().equals("cats") && !p.isUnknown());
            ant = first(SharedData.dataset("hymenoptera").resolve("val/ants"), model, Prediction::isUnknown);
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=412,915");
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
            } finally {
                browser.quit();
            }
        }
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
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not get there within 30 s");
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
