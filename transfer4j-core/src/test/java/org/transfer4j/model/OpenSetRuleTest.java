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

    @Test
    void centroidsComeFromTrainingAndTheThresholdRejectsTheRateOfValidation() {
        SplittableRandom random = new SplittableRandom(3);
        float[][] train = concat(cluster(0, 100, 0.1, random), cluster(1, 100, 0.1, random));
        int[] labels = new int[200];
        for (int i = 100; i < 200; i++) {
            labels[i] = 1;
        }
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
    void quantileMatchesNumpyAndThresholdCanBeOverridden() {
        assertThat(OpenSetRule.quantile(new double[] {4, 1, 3, 2}, 0.5)).isEqualTo(2.5);
        assertThat(OpenSetRule.quantile(new double[] {1, 2, 3, 4, 5}, 0.95)).isCloseTo(4.8, within(1e-12));
        OpenSetRule rule = new OpenSetRule(OpenSetRule.COSINE_CENTROID, new float[][] {{1, 0}, {0, 1}}, 0.5, 0.05,
                2, 2, 0.05);
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
        OpenSetRule rule = new OpenSetRule(OpenSetRule.COSINE_CENTROID, new float[][] {{1, 0}}, 0.5, 0.05, 1, 1, 0);
        assertThatThrownBy(() -> rule.check(List.of("a", "b"), 2)).isInstanceOf(ModelException.class)
                .hasMessageContaining("2 centroids of 2 features");
    }

    @Test
    void theRuleRoundTripsThroughTheManifestJson() throws Exception {
        OpenSetRule rule = new OpenSetRule(OpenSetRule.COSINE_CENTROID, new float[][] {{0.6f, 0.8f}, {1, 0}}, 0.25,
                0.05, 10, 4, 0.25);
        String json = ModelBundle.json().writeValueAsString(rule);
        OpenSetRule back = ModelBundle.json().readValue(json, OpenSetRule.class);
        assertThat(back.centroids()).isDeepEqualTo(rule.centroids());
        assertThat(back.threshold()).isEqualTo(0.25);
        assertThat(back.validationRejected()).isEqualTo(0.25);
        assertThat(json).doesNotContain("unknown\"");
    }
}
