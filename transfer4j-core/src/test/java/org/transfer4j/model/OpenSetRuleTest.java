package org.transfer4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The unknown rule on synthetic features: two tight clusters, and points far from both. */
class OpenSetRuleTest {

    private static final int WIDTH = 16;

    /** Points around a direction: axis {@code axis} plus Gaussian noise of the given spread. */
    private static float[][] cluster(int axis, int n, double spread, SplittableRandom random) {
        float[][] rows = new float[n][WIDTH];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < WIDTH; j++) {
                rows[i][j] = (float) (spread * gaussian(random) + (j == axis ? 1 : 0));
            }
            // scale does not matter to a cosine score
            for (int j = 0; j < WIDTH; j++) {
                rows[i][j] *= 1 + i % 5;
            }
        }
        return rows;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static float[][] concat(float[][] a, float[][] b) {
        float[][] all = new float[a.length + b.length][];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Labels of two clusters of {@code n} rows each, concatenated: n zeros, then n ones. */
    private static int[] twoClasses(int n) {
        int[] labels = new int[2 * n];
        java.util.Arrays.fill(labels, n, 2 * n, 1);
        return labels;
    }

    @Test
    void centroidsComeFromTrainingAndTheThresholdRejectsTheRateOfValidation() {
        SplittableRandom random = new SplittableRandom(3);
        float[][] train = concat(cluster(0, 100, 0.1, random), cluster(1, 100, 0.1, random));
        int[] labels = twoClasses(100);
        float[][] validation = concat(cluster(0, 100, 0.1, random), cluster(1, 100, 0.1, random));
        OpenSetRule rule = OpenSetRule.fit(train, labels, 2, validation, 0.05);

        assertThat(rule.rule()).isEqualTo(OpenSetRule.COSINE_CENTROID);
        assertThat(rule.centroids()[0][0]).isGreaterThan(0.99f);
        assertThat(rule.centroids()[1][1]).isGreaterThan(0.99f);
        assertThat(rule.validationImages()).isEqualTo(200);
        assertThat(rule.trainImages()).isEqualTo(200);
        // linear interpolation between order statistics: 10 of 200 lie above the 0.95 quantile
        assertThat(rule.validationRejected()).isCloseTo(0.05, within(0.006));

        OpenSetRule.Verdict near = rule.judge(new float[] {0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThat(near.unknown()).isFalse();
        assertThat(near.nearestClass()).isEqualTo(1);
        assertThat(near.score()).isLessThan(0.01);
        float[] far = new float[WIDTH];
        far[7] = 1;
        OpenSetRule.Verdict away = rule.judge(far);
        assertThat(away.unknown()).isTrue();
        assertThat(away.score()).isGreaterThan(0.9);
        // points far from both clusters: nearly all rejected
        float[][] outliers = cluster(9, 50, 0.1, random);
        long rejected = java.util.Arrays.stream(outliers).filter(f -> rule.judge(f).unknown()).count();
        assertThat(rejected).isEqualTo(50);
    }

    @Test
    void leaveOneOutScoresAreTheDistancesToCentroidsTakenWithoutTheImage() {
        SplittableRandom random = new SplittableRandom(5);
        float[][] train = concat(cluster(0, 40, 0.3, random), cluster(1, 40, 0.3, random));
        int[] labels = twoClasses(40);
        float[][] validation = concat(cluster(0, 10, 0.3, random), cluster(1, 10, 0.3, random));
        OpenSetRule plain = OpenSetRule.fit(train, labels, 2, validation, 0.1);
        OpenSetRule pooled = OpenSetRule.fit(train, labels, 2, validation, 0.1, true);
        assertThat(plain.heldOutTrainImages()).isZero();
        assertThat(pooled.heldOutTrainImages()).isEqualTo(80);
        assertThat(pooled.centroids()).isDeepEqualTo(plain.centroids());

        // the threshold is the 90 % quantile of the 20 validation scores and 80 scores computed here by hand:
        // each training image against its class's other 39 images' centroid and the other class's centroid
        double[] expected = new double[100];
        for (int i = 0; i < 20; i++) {
            expected[i] = plain.judge(validation[i]).score();
        }
        for (int i = 0; i < 80; i++) {
            float[] own = new float[WIDTH];
            for (int k = 0; k < 80; k++) {
                if (k != i && labels[k] == labels[i]) {
                    float[] u = OpenSetRule.unit(train[k]);
                    for (int j = 0; j < WIDTH; j++) {
                        own[j] += u[j];
                    }
                }
            }
            OpenSetRule withoutIt = new OpenSetRule(OpenSetRule.COSINE_CENTROID, labels[i] == 0
                    ? new float[][] {OpenSetRule.unit(own), plain.centroids()[1]}
                    : new float[][] {plain.centroids()[0], OpenSetRule.unit(own)}, 1, 0.1, 79, 0, 0, 0);
            expected[20 + i] = withoutIt.judge(train[i]).score();
            // held out, an image lies farther from its own class than when it is part of the centroid
            assertThat(expected[20 + i]).isGreaterThanOrEqualTo(plain.judge(train[i]).score() - 1e-6);
        }
        assertThat(pooled.threshold()).isCloseTo(OpenSetRule.quantile(expected, 0.9), within(1e-5));
        assertThat(pooled.describe()).contains("100 held-out distances").contains("80 training images");
    }

    @Test
    void quantileMatchesNumpyAndThresholdCanBeOverridden() {
        assertThat(OpenSetRule.quantile(new double[] {4, 1, 3, 2}, 0.5)).isEqualTo(2.5);
        assertThat(OpenSetRule.quantile(new double[] {1, 2, 3, 4, 5}, 0.95)).isCloseTo(4.8, within(1e-12));
        OpenSetRule rule = new OpenSetRule(OpenSetRule.COSINE_CENTROID, new float[][] {{1, 0}, {0, 1}}, 0.5, 0.05,
                2, 2, 0.05, 0);
        assertThat(rule.judge(new float[] {1, 1}).unknown()).isFalse(); // 1 - cos 45° = 0.29
        assertThat(rule.withThreshold(0.2).judge(new float[] {1, 1}).unknown()).isTrue();
        assertThat(rule.withThreshold(0.2).validationRejected()).isEqualTo(0.05);
    }

    @Test
    void badInputsAreNamed() {
        assertThatThrownBy(() -> OpenSetRule.fit(new float[][] {{1}}, new int[] {0}, 1, new float[][] {{1}}, 1.0))
                .hasMessageContaining("--unknown-rate");
        assertThatThrownBy(() -> OpenSetRule.fit(new float[][] {{1}}, new int[] {0}, 2, new float[][] {{1}}, 0.05))
                .hasMessageContaining("class 1 has no training image");
        OpenSetRule rule = new OpenSetRule(OpenSetRule.COSINE_CENTROID, new float[][] {{1, 0}}, 0.5, 0.05, 1, 1, 0, 0);
        assertThatThrownBy(() -> rule.check(List.of("a", "b"), 2)).isInstanceOf(ModelException.class)
                .hasMessageContaining("2 centroids of 2 features");
    }

    @Test
    void theRuleRoundTripsThroughTheManifestJson() throws Exception {
        OpenSetRule rule = new OpenSetRule(OpenSetRule.COSINE_CENTROID, new float[][] {{0.6f, 0.8f}, {1, 0}}, 0.25,
                0.05, 10, 4, 0.25, 10);
        String json = ModelBundle.json().writeValueAsString(rule);
        OpenSetRule back = ModelBundle.json().readValue(json, OpenSetRule.class);
        assertThat(back.centroids()).isDeepEqualTo(rule.centroids());
        assertThat(back.threshold()).isEqualTo(0.25);
        assertThat(back.validationRejected()).isEqualTo(0.25);
        assertThat(back.heldOutTrainImages()).isEqualTo(10);
        // a manifest written before the leave-one-out scores reads as validation-only
        OpenSetRule older = ModelBundle.json().readValue(json.replaceAll(",\\s*\"heldOutTrainImages\"\\s*:\\s*10", ""),
                OpenSetRule.class);
        assertThat(json).contains("heldOutTrainImages");
        assertThat(older.heldOutTrainImages()).isZero();
        assertThat(json).doesNotContain("unknown\"");
    }
}
