package org.transfer4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.transfer4j.exec.DjlEngine;

/** The loss against hand-computed values (torch's CrossEntropyLoss(weight, label_smoothing) formula). */
class ClassificationLossTest {

    @Test
    void weightedSmoothedCrossEntropyMatchesTheFormula() {
        double[][] logp = {{Math.log(0.7), Math.log(0.2), Math.log(0.1)}, {Math.log(0.1), Math.log(0.3), Math.log(0.6)}};
        int[] y = {0, 2};
        float[] w = {2f, 1f, 0.5f};
        double eps = 0.1;
        double num = 0;
        double den = 0;
        for (int i = 0; i < 2; i++) {
            double l = 0;
            for (int k = 0; k < 3; k++) {
                double target = (k == y[i] ? 1 - eps : 0) + eps / 3;
                l -= target * logp[i][k];
            }
            num += w[y[i]] * l;
            den += w[y[i]];
        }
        float[] flat = new float[6];
        for (int i = 0; i < 6; i++) {
            flat[i] = (float) logp[i / 3][i % 3];
        }
        try (NDManager m = DjlEngine.newManager()) {
            float loss = new ClassificationLoss(w, (float) eps)
                    .evaluate(new NDList(m.create(y)), new NDList(m.create(flat, new Shape(2, 3)))).getFloat();
            assertThat((double) loss).isCloseTo(num / den, within(1e-6));
        }
    }

    @Test
    void exampleWeightsMultiplyTheClassWeights() {
        float[] flat = {(float) Math.log(0.7), (float) Math.log(0.3), (float) Math.log(0.4), (float) Math.log(0.6)};
        int[] y = {0, 0};
        try (NDManager m = DjlEngine.newManager()) {
            NDList labels = new NDList(m.create(y));
            NDList logp = new NDList(m.create(flat, new Shape(2, 2)));
            // weight 0 leaves the second example out: the loss is the first one's
            float first = ClassificationLoss.plain().evaluate(labels, logp, m.create(new float[] {1f, 0f})).getFloat();
            assertThat((double) first).isCloseTo(-Math.log(0.7), within(1e-6));
            // weights 1 and 0.5 with class weight 2 for class 0: (2 l1 + 1 l2) / 3
            float both = new ClassificationLoss(new float[] {2f, 1f}, 0).evaluate(labels, logp,
                    m.create(new float[] {1f, 0.5f})).getFloat();
            assertThat((double) both).isCloseTo((-2 * Math.log(0.7) - Math.log(0.4)) / 3, within(1e-6));
        }
    }

    @Test
    void balancedWeightsFollowTheCounts() {
        int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        assertThat(ClassificationLoss.balancedWeights(labels, 2)).containsExactly(11f / 20, 11f / 2);
        assertThatThrownBy(() -> ClassificationLoss.balancedWeights(labels, 3)).hasMessageContaining("class 2");
    }
}
