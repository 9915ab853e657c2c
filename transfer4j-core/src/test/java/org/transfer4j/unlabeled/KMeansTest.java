package org.transfer4j.unlabeled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue 15: k-means on synthetic blobs, and the silhouette's choice of k. */
class KMeansTest {

    /** Unit vectors around {@code k} random directions, {@code per} each, in blob order. */
    static float[][] blobs(int k, int per, int d, double spread, long seed) {
        Random random = new Random(seed);
        float[][] centres = new float[k][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        float[][] x = new float[k * per][d];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = centres[i / per][j] + (float) (spread * random.nextGaussian());
            }
            x[i] = VectorMath.normalised(x[i]);
        }
        return x;
    }

    @Test
    void recoversBlobsExactlyAndTheSameSeedGivesTheSameFit() {
        int k = 4;
        int per = 40;
        float[][] x = blobs(k, per, 16, 0.15, 3);
        KMeans.Fit fit = new KMeans(k, 7).fit(x);
        int[] labels = fit.labels();
        Map<Integer, Integer> blobOfCluster = new HashMap<>();
        for (int i = 0; i < x.length; i++) {
            Integer before = blobOfCluster.putIfAbsent(labels[i], i / per);
            assertThat(before == null || before == i / per).as("row %d", i).isTrue();
        }
        assertThat(blobOfCluster).hasSize(k);
        assertThat(fit.k()).isEqualTo(k);
        KMeans.Fit again = new KMeans(k, 7).fit(x);
        assertThat(again.labels()).isEqualTo(labels);
        assertThat(again.inertia()).isEqualTo(fit.inertia());
        assertThat(fit.predict(x[0])).isEqualTo(labels[0]);
    }

    @Test
    void silhouettePicksTheNumberOfBlobs() {
        for (int k : new int[] {2, 3, 5}) {
            float[][] x = blobs(k, 30, 16, 0.2, 10 + k);
            Silhouette.Choice choice = Silhouette.chooseK(x, 2, 10, 42);
            assertThat(choice.k()).as("scores %s", choice.scores()).isEqualTo(k);
            assertThat(choice.scores()).hasSize(9);
        }
    }

    @Test
    void silhouetteOfAHandComputedExample() {
        float[][] x = {{0}, {1}, {10}, {11}};
        double expected = ((1 - 1 / 10.5) + (1 - 1 / 9.5)) / 2;
        assertThat(Silhouette.score(x, new int[] {0, 0, 1, 1}, 2)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new KMeans(0, 1)).hasMessageContaining("--k must be at least 1, got 0");
        assertThatThrownBy(() -> new KMeans(5, 1).fit(new float[3][2])).hasMessageContaining("needs at least 5 images");
    }
}
