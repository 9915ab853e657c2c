package org.transfer4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The figures against a fixture computed by hand: ten images of three classes a, b, c.
 *
 * <pre>
 * truth a: predicted a a a b      truth b: predicted b b c c a      truth c: predicted c
 *
 * confusion (rows true)  a  b  c     precision  a 3/4   b 2/3   c 1/3
 *                     a  3  1  0     recall     a 3/4   b 2/5   c 1/1
 *                     b  1  2  2     F1         a 0.75  b 0.5   c 0.5
 *                     c  0  0  1     support    4, 5, 1; accuracy 6/10; majority baseline 5/10
 * </pre>
 */
class EvaluationTest {

    private static final List<String> CLASSES = List.of("a", "b", "c");
    private static final int[] TRUTH = {0, 0, 0, 0, 1, 1, 1, 1, 1, 2};
    /** Argmax gives the predictions above. Truth ranks: a→b 2nd; b→c 2nd and 3rd; b→a tied (2nd). */
    private static final float[][] PROBABILITIES = {
        {0.8f, 0.1f, 0.1f}, {0.7f, 0.2f, 0.1f}, {0.5f, 0.3f, 0.2f}, {0.3f, 0.6f, 0.1f},
        {0.1f, 0.8f, 0.1f}, {0.2f, 0.7f, 0.1f}, {0.1f, 0.3f, 0.6f}, {0.35f, 0.05f, 0.6f},
        {0.5f, 0.5f, 0.0f}, {0.1f, 0.1f, 0.8f},
    };

    @Test
    void confusionMatrixAndPerClassFiguresMatchTheHandComputedFixture() {
        Evaluation e = Evaluation.of(CLASSES, TRUTH, PROBABILITIES);
        assertThat(e.confusion()).isDeepEqualTo(new long[][] {{3, 1, 0}, {1, 2, 2}, {0, 0, 1}});
        assertThat(e.total()).isEqualTo(10);
        assertThat(e.accuracy()).isCloseTo(0.6, within(1e-12));
        assertThat(e.majorityBaseline()).isCloseTo(0.5, within(1e-12));
        assertThat(e.balancedAccuracy()).isCloseTo((0.75 + 0.4 + 1.0) / 3, within(1e-12));
        List<Evaluation.ClassMetrics> m = e.perClass();
        assertThat(m).extracting(Evaluation.ClassMetrics::name).containsExactly("a", "b", "c");
        assertThat(m).extracting(Evaluation.ClassMetrics::support).containsExactly(4L, 5L, 1L);
        double[][] expected = {{0.75, 0.75, 0.75}, {2.0 / 3, 0.4, 0.5}, {1.0 / 3, 1.0, 0.5}};
        for (int c = 0; c < 3; c++) {
            assertThat(m.get(c).precision()).as("precision " + c).isCloseTo(expected[c][0], within(1e-12));
            assertThat(m.get(c).recall()).as("recall " + c).isCloseTo(expected[c][1], within(1e-12));
            assertThat(m.get(c).f1()).as("f1 " + c).isCloseTo(expected[c][2], within(1e-12));
        }
        assertThat(e.rowNormalised()[1]).containsExactly(new double[] {0.2, 0.4, 0.4}, within(1e-12));
    }

    @Test
    void predictionsAloneGiveTheSameMatrixAsProbabilities() {
        int[] predicted = {0, 0, 0, 1, 1, 1, 2, 2, 0, 2};
        Evaluation fromClasses = Evaluation.of(CLASSES, TRUTH, predicted);
        assertThat(fromClasses.confusion()).isDeepEqualTo(Evaluation.of(CLASSES, TRUTH, PROBABILITIES).confusion());
        assertThat(fromClasses.topKAccuracy(1)).isCloseTo(0.6, within(1e-12));
        assertThat(fromClasses.topKAccuracy(2)).as("unknown without probabilities").isNaN();
    }

    @Test
    void topKCountsTiesForTheLowerClassId() {
        Evaluation e = Evaluation.of(CLASSES, TRUTH, PROBABILITIES);
        assertThat(e.topKAccuracy(1)).isCloseTo(0.6, within(1e-12));
        assertThat(e.topKAccuracy(2)).isCloseTo(0.9, within(1e-12));
        assertThat(e.topKAccuracy(3)).isCloseTo(1.0, within(1e-12));
        assertThatThrownBy(() -> e.topKAccuracy(4)).hasMessageContaining("1..3");
    }

    @Test
    void mostConfusedPairsComeLargestFirst() {
        List<Evaluation.ConfusedPair> pairs = Evaluation.of(CLASSES, TRUTH, PROBABILITIES).mostConfused(10);
        assertThat(pairs).containsExactly(
                new Evaluation.ConfusedPair("b", "c", 2, 0.4),
                new Evaluation.ConfusedPair("a", "b", 1, 0.25),
                new Evaluation.ConfusedPair("b", "a", 1, 0.2));
        assertThat(Evaluation.of(CLASSES, TRUTH, PROBABILITIES).mostConfused(1)).hasSize(1);
    }

    @Test
    void theValueCannotBeChangedThroughItsArrays() {
        Evaluation e = Evaluation.of(CLASSES, TRUTH, PROBABILITIES);
        e.confusion()[0][0] = 99;
        e.topKAccuracy()[1] = 0;
        assertThat(e.confusion()[0][0]).isEqualTo(3);
        assertThat(e.topKAccuracy(2)).isCloseTo(0.9, within(1e-12));
    }
}
