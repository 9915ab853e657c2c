package org.transfer4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.data.ImageDecoder;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.OpenSetRule;
import org.transfer4j.model.Prediction;

/**
 * The unknown answer on real data: a cats_dogs model (rule fitted on held-out scores: its validation
 * split and its training images' leave-one-out scores) shown its own test images and hymenoptera's
 * ants and bees. The targets: AUROC >= 0.95 of the score separating the two, at most 7 % of
 * cats_dogs test images and at least 80 % of hymenoptera images unknown at the stored threshold.
 * Measured with the default weights here (mobilenet_v2 torchscript-int8, see BENCHMARKS.md): AUROC
 * 0.9983, 5.0 % of cats_dogs test images and 100 % of hymenoptera unknown. A hymenoptera model
 * against cats_dogs and fashion_mnist_small test images: AUROC 0.9898 and 1.0000, 99.8 % and 100 %
 * unknown, 8.5 % of its own 153 test images unknown (the issue asks for this one to be reported only).
 */
@Tag("shared")
@Tag("slow")
class UnknownIntegrationTest {

    @Test
    void aCatsDogsModelCallsAntsAndBeesUnknown(@TempDir Path out) throws IOException {
        Path catsDogs = SharedData.dataset("cats_dogs");
        List<Path> hymenoptera;
        try (Stream<Path> walk = Files.walk(SharedData.dataset("hymenoptera"))) {
            hymenoptera = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (ImageClassifier trained = Transfer.from(catsDogs).weightsDir(SharedData.pretrained())
                .cacheDir(SharedData.featureCache()).progress(false).train()) {
            trained.save(out.resolve("bundle"));
        }
        try (ImageClassifier model = ImageClassifier.load(out.resolve("bundle"))) {
            OpenSetRule rule = model.manifest().unknown();
            assertThat(rule).isNotNull();
            assertThat(rule.rate()).isEqualTo(0.05);
            // the quantile reads 100 validation and about 900 leave-one-out scores: near 5 % of validation, not exactly
            assertThat(rule.validationRejected()).isBetween(0.01, 0.10);
            assertThat(rule.heldOutTrainImages()).isGreaterThan(800);
            List<Path> test = model.manifest().training().split().test().stream().map(catsDogs::resolve).toList();
            double[] inScores = scores(model, test);
            double[] outScores = scores(model, hymenoptera);
            double auroc = auroc(inScores, outScores);
            double inUnknown = OpenSetRule.rejectedShare(inScores, rule.threshold());
            double outUnknown = OpenSetRule.rejectedShare(outScores, rule.threshold());
            System.out.printf(Locale.ROOT, "unknown rule (cats_dogs model): threshold %.4f, validation rejected %.3f; "
                    + "AUROC cats_dogs test (%d) vs hymenoptera (%d) %.4f; unknown at the threshold: cats_dogs test "
                    + "%.3f, hymenoptera %.3f%n", rule.threshold(), rule.validationRejected(), inScores.length,
                    outScores.length, auroc, inUnknown, outUnknown);
            assertThat(auroc).isGreaterThanOrEqualTo(0.95);
            assertThat(inUnknown).isLessThanOrEqualTo(0.07); // measured 0.050
            assertThat(outUnknown).isGreaterThanOrEqualTo(0.80);
        }
    }

    @Test
    void aHymenopteraModelAgainstCatsDogsAndFashionMnist(@TempDir Path out) throws IOException {
        Path hymenoptera = SharedData.dataset("hymenoptera");
        try (ImageClassifier trained = Transfer.from(hymenoptera).weightsDir(SharedData.pretrained())
                .cacheDir(SharedData.featureCache()).progress(false).train()) {
            trained.save(out.resolve("bundle"));
        }
        try (ImageClassifier model = ImageClassifier.load(out.resolve("bundle"))) {
            OpenSetRule rule = model.manifest().unknown();
            double[] inScores = scores(model, model.manifest().training().split().test().stream()
                    .map(hymenoptera::resolve).toList());
            double inUnknown = OpenSetRule.rejectedShare(inScores, rule.threshold());
            for (String other : List.of("cats_dogs", "fashion_mnist_small")) {
                List<Path> outside;
                try (Stream<Path> walk = Files.walk(SharedData.dataset(other).resolve("test"))) {
                    outside = walk.filter(Files::isRegularFile).sorted().toList();
                }
                double[] outScores = scores(model, outside);
                double auroc = auroc(inScores, outScores);
                double outUnknown = OpenSetRule.rejectedShare(outScores, rule.threshold());
                System.out.printf(Locale.ROOT, "unknown rule (hymenoptera model): threshold %.4f, validation rejected "
                        + "%.3f; AUROC hymenoptera test (%d) vs %s test (%d) %.4f; unknown at the threshold: "
                        + "hymenoptera test %.3f, %s %.3f%n", rule.threshold(), rule.validationRejected(),
                        inScores.length, other, outScores.length, auroc, inUnknown, other, outUnknown);
                // measured: AUROC 0.9898 (cats_dogs) and 1.0000 (fashion_mnist_small); 99.8 % and 100 % unknown
                assertThat(auroc).isGreaterThanOrEqualTo(0.95);
                assertThat(outUnknown).isGreaterThanOrEqualTo(0.80);
            }
            // measured 0.085 (13 of 153); 2 of 24 validation images were rejected
            assertThat(inUnknown).isLessThanOrEqualTo(0.10);
        }
    }

    /** The unknown score of each image, through {@link ImageClassifier#predictAll}, 32 at a time. */
    private static double[] scores(ImageClassifier model, List<Path> files) throws IOException {
        double[] scores = new double[files.size()];
        for (int from = 0; from < files.size(); from += 32) {
            List<BufferedImage> batch = new ArrayList<>();
            for (Path f : files.subList(from, Math.min(files.size(), from + 32))) {
                batch.add(ImageDecoder.decodeRgb(f));
            }
            List<Prediction> predictions = model.predictAll(batch);
            for (int i = 0; i < predictions.size(); i++) {
                scores[from + i] = predictions.get(i).verdict().score();
            }
        }
        return scores;
    }

    /** P(score of an outside image > score of an inside image), ties counting half. */
    static double auroc(double[] inside, double[] outside) {
        double wins = 0;
        for (double o : outside) {
            for (double i : inside) {
                wins += o > i ? 1 : o == i ? 0.5 : 0;
            }
        }
        return wins / ((double) inside.length * outside.length);
    }
}
