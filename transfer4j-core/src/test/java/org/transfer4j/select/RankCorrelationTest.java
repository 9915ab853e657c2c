package org.transfer4j.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Issue 14: weighted Kendall τ (scipy.stats.weightedtau's defaults) and Spearman ρ. */
class RankCorrelationTest {

    /** Fine-tuned CIFAR-10 accuracies of 10 models (Transfer-Learning-Library's model-selection tables). */
    private static final double[] ACCURACY = {96.2, 97.5, 96.8, 97.7, 97.9, 97.2, 97.4, 97.4, 95.7, 96.8};
    private static final double[] LOGME = {0.293, 0.349, 0.388, 0.463, 0.469, 0.302, 0.343, 0.369, 0.291, 0.304};
    private static final double[] H_SCORE = {5.911, 6.363, 6.567, 6.901, 6.945, 6.210, 6.547, 6.706, 5.928, 6.018};

    private final WeightedKendallTau tau = new WeightedKendallTau();
    private final SpearmanRho rho = new SpearmanRho();

    @Test
    void oraclesFromTheIssue() {
        assertThat(tau.score(ACCURACY, LOGME)).isCloseTo(0.785, within(5e-4));
        assertThat(tau.score(ACCURACY, H_SCORE)).isCloseTo(0.800, within(5e-4));
    }

    @Test
    void agreesWithScipyToRounding() {
        // scipy 1.17.1: weightedtau(x, y)[0] and spearmanr(x, y)[0] on the same lists
        assertThat(tau.score(ACCURACY, LOGME)).isCloseTo(0.7846427033798395, within(1e-12));
        assertThat(tau.score(ACCURACY, H_SCORE)).isCloseTo(0.7997431653611273, within(1e-12));
        assertThat(rho.score(ACCURACY, LOGME)).isCloseTo(0.8109906863144085, within(1e-12));
        assertThat(rho.score(ACCURACY, H_SCORE)).isCloseTo(0.8353813836471727, within(1e-12));
        // ties in one list, in both, and joint ties
        assertThat(tau.score(new double[] {1, 2, 3}, new double[] {1, 1, 2})).isCloseTo(0.8790490729915326, within(1e-12));
        assertThat(tau.score(new double[] {1, 1, 2, 2, 3}, new double[] {3, 1, 2, 2, 1}))
                .isCloseTo(-0.5603488285744143, within(1e-12));
        double[] x = {1, 2, 2, 3, 3, 4};
        double[] y = {2, 2, 2, 3, 1, 4};
        assertThat(tau.score(x, y)).isCloseTo(0.6597679209115628, within(1e-12));
        assertThat(rho.score(x, y)).isCloseTo(0.46897904961054176, within(1e-12));
    }

    @Test
    void edgeCases() {
        double[] up = {1, 2, 3, 4};
        double[] down = {4, 3, 2, 1};
        assertThat(tau.score(up, up)).isCloseTo(1.0, within(1e-12));
        assertThat(tau.score(up, down)).isCloseTo(-1.0, within(1e-12));
        assertThat(rho.score(up, down)).isCloseTo(-1.0, within(1e-12));
        assertThat(tau.score(up, new double[] {10, 20, 30, 40})).as("only the order counts").isCloseTo(1.0, within(1e-12));
        // a constant list orders nothing; one item neither (both as scipy)
        assertThat(tau.score(new double[] {5, 5, 5}, new double[] {1, 2, 3})).isNaN();
        assertThat(rho.score(new double[] {5, 5, 5}, new double[] {1, 2, 3})).isNaN();
        assertThat(tau.score(new double[] {1}, new double[] {2})).isNaN();
        assertThat(tau.score(new double[0], new double[0])).isNaN();
        // a swap at the top costs more than the same swap at the bottom
        double top = tau.score(new double[] {1, 2, 3, 4, 5, 6}, new double[] {1, 2, 3, 4, 6, 5});
        double bottom = tau.score(new double[] {1, 2, 3, 4, 5, 6}, new double[] {2, 1, 3, 4, 5, 6});
        assertThat(top).isLessThan(bottom);
        assertThatThrownBy(() -> tau.score(up, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 and 2");
        assertThatThrownBy(() -> rho.score(up, new double[] {1, Double.NaN, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item 1 has a NaN score");
    }
}
