package org.transfer4j.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue 14: leave-one-out kNN accuracy on L2-normalised features (k = 20, DINO's weighted vote). */
class KnnAccuracyTest {

    @Test
    void twoSeparatedClustersAreAllRight() {
        Random random = new Random(7);
        int n = 60;
        float[][] f = new float[n][8];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < 8; j++) {
                // class 0 points along the first four axes, class 1 along the last four
                boolean own = (j < 4) == (labels[i] == 0);
                f[i][j] = (float) ((own ? 5 : 0) + random.nextGaussian() * 0.3);
            }
        }
        KnnAccuracy.Result r = new KnnAccuracy().fit(f, labels);
        assertThat(r.accuracy()).isEqualTo(1.0);
        assertThat(r.correct()).isEqualTo(n);
        assertThat(r.neighbours()).isEqualTo(20);
    }

    @Test
    void scaleDoesNotMatterOnlyDirection() {
        // rows of class 0 point one way, class 1 the other way, at wildly different lengths
        double[][] f = {{1, 0}, {100, 1}, {0.01, 0}, {0, 1}, {1, 100}, {0, 0.01}};
        int[] labels = {0, 0, 0, 1, 1, 1};
        KnnAccuracy.Result r = new KnnAccuracy(2, 0.07).fit(f, labels);
        assertThat(r.accuracy()).isEqualTo(1.0);
        assertThat(r.neighbours()).isEqualTo(2);
    }

    @Test
    void noSignalIsNearChanceAndTheSameEveryTime() {
        Random random = new Random(3);
        double[][] f = new double[200][16];
        int[] labels = new int[200];
        for (int i = 0; i < f.length; i++) {
            labels[i] = random.nextInt(4);
            for (int j = 0; j < 16; j++) {
                f[i][j] = random.nextGaussian();
            }
        }
        double accuracy = new KnnAccuracy().fit(f, labels).accuracy();
        assertThat(accuracy).isBetween(0.1, 0.45);
        assertThat(new KnnAccuracy().fit(f, labels).accuracy()).isEqualTo(accuracy);
    }

    @Test
    void tiesGoToTheSmallerLabel() {
        // identical rows: every vote ties, so every image is predicted as class 0
        double[][] f = {{1, 1}, {1, 1}, {1, 1}, {1, 1}};
        KnnAccuracy.Result r = new KnnAccuracy().fit(f, new int[] {0, 0, 1, 1});
        assertThat(r.neighbours()).isEqualTo(3);
        // each class-0 image sees one 0 and two 1s; each class-1 image sees two 0s and one 1
        assertThat(r.correct()).isZero();
        KnnAccuracy.Result balanced = new KnnAccuracy(2, 0.07).fit(f, new int[] {0, 0, 1, 1});
        // k = 2 from the earlier rows: image 0 sees 1, 2 (0 and 1: tie -> 0, right); image 1 sees 0, 2
        // (tie -> 0, right); image 2 sees 0, 1 (0, wrong); image 3 sees 0, 1 (0, wrong)
        assertThat(balanced.correct()).isEqualTo(2);
    }

    @Test
    void badInputNamesTheValue() {
        double[][] f = {{1, 0}, {0, 1}, {1, 1}};
        assertThatThrownBy(() -> new KnnAccuracy().fit(f, new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 feature rows but 2 labels");
        assertThatThrownBy(() -> new KnnAccuracy().fit(new double[][] {{1}, {Double.POSITIVE_INFINITY}, {1}, {2}},
                new int[] {0, 0, 1, 1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1, column 0 is Infinity");
        assertThatThrownBy(() -> new KnnAccuracy(0, 0.07)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k must be at least 1, got 0");
    }
}
