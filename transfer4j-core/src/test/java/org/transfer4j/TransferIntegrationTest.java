package org.transfer4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.eval.Evaluation;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.train.EpochStats;

/**
 * The frozen-backbone recipe end to end on the real datasets with the real MobileNetV2 weights.
 * Accuracy targets are those of the issue: hymenoptera >= 0.95, cats_dogs >= 0.97.
 */
@Tag("slow")
class TransferIntegrationTest {

    private static Transfer recipe(String dataset, PrintStream log) {
        return Transfer.from(SharedData.dataset(dataset)).backbone("mobilenet_v2")
                .weightsDir(SharedData.pretrained()).cacheDir(SharedData.featureCache()).log(log);
    }

    @Test
    void hymenopteraReachesTheTutorialAccuracyAndTheBundleRoundTrips(@TempDir Path out) throws Exception {
        List<EpochStats> epochs = new ArrayList<>();
        try (ImageClassifier model = recipe("hymenoptera", System.err).onEpoch(epochs::add).fit().withReport(System.err)) {
            double accuracy = model.manifest().run().test().accuracy();
            System.out.println("hymenoptera test accuracy " + accuracy);
            assertThat(epochs).hasSize(10);
            assertThat(accuracy).isGreaterThanOrEqualTo(0.95);
            model.save(out.resolve("bundle"));
        }
        assertThat(out.resolve("bundle/loss.png")).isNotEmptyFile();
        assertThat(out.resolve("bundle/predictions.png")).isNotEmptyFile();
        try (ImageClassifier loaded = ImageClassifier.load(out.resolve("bundle"))) {
            Evaluation e = loaded.evaluate(SharedData.dataset("hymenoptera"));
            // The ONNX classifier reproduces the accuracy DJL measured on cached features.
            assertThat(e.total()).isEqualTo(153);
            assertThat(e.accuracy()).isGreaterThanOrEqualTo(0.95);
            Path bee = Files.list(SharedData.dataset("hymenoptera").resolve("val/bees")).sorted().findFirst().orElseThrow();
            assertThat(loaded.predict(bee).top()).hasSize(2);
        }
    }

    @Test
    void catsDogsReachesNinetySevenPercent() {
        try (ImageClassifier model = recipe("cats_dogs", System.err).train()) {
            double accuracy = model.manifest().run().test().accuracy();
            System.out.println("cats_dogs test accuracy " + accuracy);
            assertThat(accuracy).isGreaterThanOrEqualTo(0.97);
        }
    }

    @Test
    void fashionMnistIsReportedAndFarAboveChance() {
        try (ImageClassifier model = recipe("fashion_mnist_small", System.err).train()) {
            double accuracy = model.manifest().run().test().accuracy();
            System.out.println("fashion_mnist_small test accuracy " + accuracy);
            assertThat(accuracy).isGreaterThan(0.5);
        }
    }

    @Test
    void aSecondRunWithAnotherHeadRunsNoBackbonePass() {
        recipe("hymenoptera", System.err).epochs(1).train().close();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            recipe("hymenoptera", ps).head(512, 256).epochs(3).train().close();
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("train: all 221 features from the cache, no backbone pass")
                .contains("validation: all 24 features from the cache, no backbone pass")
                .contains("test: all 153 features from the cache, no backbone pass");
    }

    @Test
    void sameSeedGivesSameSplitAndSameMetrics() {
        // fashion_mnist_small/train is a plain folder of classes, so the split comes from the seed.
        Path data = SharedData.dataset("fashion_mnist_small").resolve("train");
        Transfer run = Transfer.from(data).backbone("mobilenet_v2").weightsDir(SharedData.pretrained())
                .cacheDir(SharedData.featureCache()).epochs(3).seed(7);
        try (ImageClassifier a = run.train(); ImageClassifier b = run.train()) {
            assertThat(a.manifest().training().split().test()).hasSize(200)
                    .isEqualTo(b.manifest().training().split().test());
            assertThat(lossesAndAccuracy(a)).isEqualTo(lossesAndAccuracy(b));
        }
    }

    private static List<String> lossesAndAccuracy(ImageClassifier model) {
        List<String> out = new ArrayList<>();
        for (EpochStats e : model.manifest().run().history()) {
            out.add(e.trainLoss() + "/" + e.validationLoss() + "/" + e.validationAccuracy());
        }
        return out;
    }
}
