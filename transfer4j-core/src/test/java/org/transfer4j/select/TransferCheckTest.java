package org.transfer4j.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.transfer4j.DatasetFeatures;
import org.transfer4j.SharedData;
import org.transfer4j.Transfer;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.doctor.Finding;

/**
 * The negative-transfer check on the real data sets, default backbone, training split only: the features
 * of fashion_mnist_small (28×28 grey clothing) are flagged, hymenoptera and cats_dogs are {@code close}.
 * Each verdict also comes from {@link TransferCheck#fit} on made-up signals.
 */
class TransferCheckTest {

    @Test
    void verdictFollowsTheSignals() {
        // 4 images of 2 classes: features separate them, the baseline does not (or does as well).
        float[][] separable = {{1, 0}, {0.9f, 0.1f}, {0, 1}, {0.1f, 0.9f}};
        float[][] mixed = {{1, 0}, {0, 1}, {1, 0}, {0, 1}};
        int[] labels = {0, 0, 1, 1};
        TransferCheck check = new TransferCheck(new KnnAccuracy(1, 0.07));
        TransferCheck.Result close = check.fit("x", separable, mixed, labels, Double.NaN);
        assertThat(close.featureKnn()).isEqualTo(1.0);
        assertThat(close.baselineKnn()).isEqualTo(0.0);
        assertThat(close.errorReduction()).isEqualTo(1.0);
        assertThat(close.verdict()).isEqualTo(TransferCheck.Verdict.CLOSE);
        assertThat(close.finding().severity()).isEqualTo(Finding.Severity.NOTE);
        assertThat(check.fit("x", mixed, mixed, labels, Double.NaN).verdict()).as("as bad as pixels")
                .isEqualTo(TransferCheck.Verdict.NO_HELP);
        TransferCheck.Result bothPerfect = check.fit("x", separable, separable, labels, Double.NaN);
        assertThat(bothPerfect.errorReduction()).isEqualTo(1.0);
        assertThat(bothPerfect.verdict()).as("pixels suffice, and so do the features").isEqualTo(TransferCheck.Verdict.CLOSE);
        assertThat(check.fit("x", separable, separable, labels, 0.2).verdict()).as("no reference for 'x'")
                .isEqualTo(TransferCheck.Verdict.CLOSE);
        TransferCheck.Result unlike = check.fit("mobilenet_v2:torchscript-int8", separable, mixed, labels, 0.3);
        assertThat(unlike.likenessRatio()).isCloseTo(0.3 / 0.5612, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(unlike.verdict()).as("features help, but the images do not look like ImageNet's")
                .isEqualTo(TransferCheck.Verdict.FAR);
        assertThat(check.fit("x", mixed, separable, labels, Double.NaN).verdict()).isEqualTo(TransferCheck.Verdict.NO_HELP);
        TransferCheck.Result noHelp = check.fit("x", mixed, separable, labels, Double.NaN);
        assertThat(noHelp.finding().severity()).isEqualTo(Finding.Severity.WARNING);
        assertThat(noHelp.finding().message()).contains("features do not help", "kNN accuracy 0.000 on the features",
                "against 1.000 on raw pixels");
        assertThatThrownBy(() -> check.fit("x", separable, mixed, new int[] {0, 1}, Double.NaN))
                .hasMessageContaining("must match");
    }

    @Test
    void largeFoldersAreSampledEvenlyWithinTheBound() {
        assertThat(TransferCheck.sample(5)).containsExactly(0, 1, 2, 3, 4);
        assertThat(TransferCheck.sample(TransferCheck.MAX_IMAGES)).hasSize(TransferCheck.MAX_IMAGES)
                .startsWith(0, 1).endsWith(TransferCheck.MAX_IMAGES - 1);
        int n = 36_000; // 50,000 images: 80 % train, 90 % of it after validation
        int[] rows = TransferCheck.sample(n);
        assertThat(rows).hasSize(TransferCheck.MAX_IMAGES).startsWith(0, 18, 36).isSorted();
        assertThat(rows[rows.length - 1]).isEqualTo(n - 18);
        // a list ordered by class (a third, then two thirds) keeps its shares
        long first = java.util.Arrays.stream(TransferCheck.sample(3001)).filter(i -> i < 1000).count();
        assertThat(first).isBetween(666L, 667L);
    }

    @Test
    @Tag("shared")
    void fashionMnistIsFlaggedHymenopteraAndCatsDogsAreClose() {
        List<String> lines = new ArrayList<>();
        double[] natural = new double[2];
        for (String name : List.of("hymenoptera", "cats_dogs", "fashion_mnist_small")) {
            DatasetFeatures data = Transfer.from(SharedData.dataset(name)).weightsDir(SharedData.pretrained())
                    .cacheDir(SharedData.featureCache()).progress(false).log(new PrintStream(OutputStream.nullOutputStream()))
                    .features();
            Finding finding = data.dataWarnings().stream().filter(f -> f.code().equals("transfer")).findFirst().orElseThrow();
            TransferCheck.Result r = new TransferCheck().check(data.backbone(), data.trainImages(), data.train().features(),
                    SharedData.featureCache(), new ContentHashes(), BatchLoader.Options.defaults());
            assertThat(finding.message()).isEqualTo(r.finding().message());
            lines.add(String.format(Locale.ROOT, "%s: %s", name, r.summary()));
            if (!name.equals("fashion_mnist_small")) {
                natural[0] += r.maxSoftmax() * r.images();
                natural[1] += r.images();
            }
            if (name.equals("fashion_mnist_small")) {
                assertThat(r.verdict()).as(r.summary()).isIn(TransferCheck.Verdict.FAR, TransferCheck.Verdict.NO_HELP);
            } else {
                assertThat(r.verdict()).as(r.summary()).isEqualTo(TransferCheck.Verdict.CLOSE);
            }
        }
        lines.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "natural photos (hymenoptera + cats_dogs training images, %d): mean max-softmax %.4f%n",
                (int) natural[1], natural[0] / natural[1]);
    }
}
