package org.transfer4j.semi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.transfer4j.train.GraphTrainer;

/** Issue 16: spread and pseudo labels on separated clusters, every choice from the validation rows. */
class SemiSupervisionTest {

    /** A stand-in head: weighted class centroids, probabilities a softmax of minus 4 x squared distance. */
    static final HeadTraining CENTROIDS = (train, score) -> {
        int classes = 3;
        int dims = train.rows()[0].length;
        double[][] sum = new double[classes][dims];
        double[] weight = new double[classes];
        for (int i = 0; i < train.size(); i++) {
            double w = train.weights() == null ? 1 : train.weights()[i];
            weight[train.labels()[i]] += w;
            for (int j = 0; j < dims; j++) {
                sum[train.labels()[i]][j] += w * train.rows()[i][j];
            }
        }
        float[][] out = new float[score.length][];
        for (int i = 0; i < score.length; i++) {
            float[] logits = new float[classes];
            for (int c = 0; c < classes; c++) {
                double d = 0;
                for (int j = 0; j < dims; j++) {
                    double m = weight[c] == 0 ? 0 : sum[c][j] / weight[c];
                    d += (score[i][j] - m) * (score[i][j] - m);
                }
                logits[c] = (float) (-0.25 * d);
            }
            out[i] = org.transfer4j.train.TrainedHead.softmax(logits);
        }
        return out;
    };

    private static final LabelSpreadingTest.Blobs DATA = LabelSpreadingTest.blobs(11, 40, 0);

    private static GraphTrainer.CutData rows(int from, int to) {
        return new GraphTrainer.CutData(Arrays.copyOfRange(DATA.x(), from, to), Arrays.copyOfRange(DATA.truth(), from, to));
    }

    @Test
    void spreadLabelsTheUnlabeledRowsMostlyRightWithConfidenceWeights() {
        GraphTrainer.CutData labelled = rows(0, 6);
        GraphTrainer.CutData validation = rows(6, 12);
        float[][] unlabeled = Arrays.copyOfRange(DATA.x(), 12, DATA.x().length);
        SemiSupervision.Outcome o = SemiSupervision.run(SemiMethod.SPREAD, labelled, unlabeled, validation, 3, CENTROIDS);
        assertThat(o.train().size()).isEqualTo(6 + o.labelled());
        assertThat(o.labelled()).isGreaterThan(unlabeled.length * 9 / 10);
        int correct = 0;
        for (int u = 0; u < unlabeled.length; u++) {
            correct += o.labels()[u] == DATA.truth()[12 + u] ? 1 : 0;
        }
        assertThat(correct).isGreaterThanOrEqualTo(unlabeled.length * 9 / 10);
        for (int i = 0; i < 6; i++) {
            assertThat(o.train().weights()[i]).isEqualTo(1f);
        }
        for (int i = 6; i < o.train().size(); i++) {
            assertThat(o.train().weights()[i]).isBetween(1f / 3, 1f);
        }
        assertThat(Arrays.stream(o.labelCounts(3)).sum()).isEqualTo(o.labelled());
        assertThat(o.choice()).startsWith("k ").contains("validation accuracy");
    }

    @Test
    void theValidationRowsChooseAndNothingElse() {
        GraphTrainer.CutData labelled = rows(0, 6);
        float[][] unlabeled = Arrays.copyOfRange(DATA.x(), 12, DATA.x().length);
        SemiSupervision.Outcome none = SemiSupervision.run(SemiMethod.SPREAD, labelled, unlabeled,
                new GraphTrainer.CutData(new float[0][], new int[0]), 3, CENTROIDS);
        assertThat(none.choice()).isEqualTo("k 7, alpha 0.20 (no validation split: scikit-learn's reference setting)");
        // the same validation rows with the same labels choose the same; the test split is never an input
        SemiSupervision.Outcome a = SemiSupervision.run(SemiMethod.SPREAD, labelled, unlabeled, rows(6, 12), 3, CENTROIDS);
        SemiSupervision.Outcome b = SemiSupervision.run(SemiMethod.SPREAD, labelled, unlabeled, rows(6, 12), 3, CENTROIDS);
        assertThat(a.choice()).isEqualTo(b.choice());
        assertThat(a.labels()).isEqualTo(b.labels());
    }

    @Test
    void pseudoLabelsAreConfidentAndRoundsAreKeptOnlyWhenValidationImproves() {
        GraphTrainer.CutData labelled = rows(0, 6);
        GraphTrainer.CutData validation = rows(6, 12);
        float[][] unlabeled = Arrays.copyOfRange(DATA.x(), 12, DATA.x().length);
        PseudoLabelling.Result r = PseudoLabelling.defaults().fit(CENTROIDS, labelled, unlabeled, validation);
        assertThat(r.rounds()).isBetween(0, 3);
        assertThat(r.threshold()).isIn(0.6, 0.8, 0.9, 0.95, 0.99);
        assertThat(r.score().accuracy()).isCloseTo(1.0, within(1e-9));
        int given = (int) Arrays.stream(r.labels()).filter(y -> y >= 0).count();
        assertThat(r.train().size()).isEqualTo(r.rounds() == 0 ? 6 : 6 + given);
        for (int i = 6; i < r.train().size(); i++) {
            assertThat(r.train().weights()[i]).isGreaterThanOrEqualTo((float) r.threshold());
        }
        // the plain head's validation score is never beaten by a kept round that scores worse
        float[][] plain = CENTROIDS.trainAndPredict(labelled, validation.rows());
        ValidationScore plainScore = ValidationScore.of(plain, validation.labels());
        assertThat(plainScore.beats(r.score())).isFalse();
    }

    @Test
    void noneUsesTheLabelledRowsAlone() {
        GraphTrainer.CutData labelled = rows(0, 6);
        SemiSupervision.Outcome o = SemiSupervision.run(SemiMethod.NONE, labelled, new float[][] {DATA.x()[20]},
                rows(6, 12), 3, CENTROIDS);
        assertThat(o.train()).isSameAs(labelled);
        assertThat(o.labelled()).isZero();
    }

    @Test
    void parsesTheOption() {
        assertThat(SemiMethod.parse("pseudo")).isEqualTo(SemiMethod.PSEUDO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SemiMethod.parse("magic"))
                .hasMessage("--semi must be spread, pseudo or none, got 'magic'");
    }
}
