package org.transfer4j.semi;

import java.util.Arrays;
import java.util.Locale;
import org.transfer4j.train.GraphTrainer;

/**
 * Turns labelled rows plus unlabeled rows into the weighted training set the head trains on, by
 * {@link SemiMethod#SPREAD} or {@link SemiMethod#PSEUDO}; every setting is chosen on the validation
 * split (the test split is never passed here).
 *
 * <p>Spreading: the validation rows join the graph unlabeled, and the (k, α) whose spread labels score
 * best on them ({@link ValidationScore}) is kept, among k in {@link #NEIGHBOURS} and α in {@link #ALPHAS};
 * scikit-learn's reference (k 7, α 0.2) is tried first and wins ties, and is used as is without a
 * validation split. The kept setting then spreads over labelled plus unlabeled rows only, and every
 * unlabeled row joins the training set with its most likely class, weighted by that class's probability.
 */
public final class SemiSupervision {

    /** The k tried for spreading. */
    public static final int[] NEIGHBOURS = {7, 5, 10, 15};
    /** The α tried for spreading. */
    public static final double[] ALPHAS = {0.2, 0.5, 0.8};

    private SemiSupervision() {
    }

    /**
     * What the unlabeled rows became.
     *
     * @param method the method run
     * @param train the rows the head trains on: the labelled ones first (as given), then unlabeled ones
     *     with their new labels and confidence weights
     * @param labels each unlabeled row's label in {@code train}, -1 where it got none
     * @param choice the setting chosen and its validation score, in words
     */
    public record Outcome(SemiMethod method, GraphTrainer.CutData train, int[] labels, String choice) {

        /** How many unlabeled rows got each class. */
        public int[] labelCounts(int numClasses) {
            int[] counts = new int[numClasses];
            for (int y : labels) {
                if (y >= 0) {
                    counts[y]++;
                }
            }
            return counts;
        }

        /** How many unlabeled rows got a label. */
        public int labelled() {
            return (int) Arrays.stream(labels).filter(y -> y >= 0).count();
        }
    }

    /**
     * Runs a method.
     *
     * @param method spread, pseudo or none (then the labelled rows alone)
     * @param labelled the labelled training rows
     * @param unlabeled the unlabeled rows
     * @param validation the validation rows, which choose (may be empty: then the reference settings)
     * @param numClasses the number of classes
     * @param training trains heads for pseudo labelling
     */
    public static Outcome run(SemiMethod method, GraphTrainer.CutData labelled, float[][] unlabeled,
                              GraphTrainer.CutData validation, int numClasses, HeadTraining training) {
        return switch (method) {
            case NONE -> {
                int[] none = new int[unlabeled.length];
                Arrays.fill(none, -1);
                yield new Outcome(method, labelled, none, "none: the unlabeled images are not used");
            }
            case PSEUDO -> {
                PseudoLabelling.Result r = PseudoLabelling.defaults().fit(training, labelled, unlabeled, validation);
                yield new Outcome(method, r.train(), r.labels(), r.describe());
            }
            case SPREAD -> spread(labelled, unlabeled, validation, numClasses);
        };
    }

    private static Outcome spread(GraphTrainer.CutData labelled, float[][] unlabeled, GraphTrainer.CutData validation,
                                  int numClasses) {
        LabelSpreading chosen = LabelSpreading.reference();
        ValidationScore chosenScore = new ValidationScore(Double.NaN, Double.NaN);
        if (validation.size() > 0) {
            float[][] rows = concat(concat(labelled.rows(), unlabeled), validation.rows());
            int[] labels = new int[rows.length];
            Arrays.fill(labels, -1);
            System.arraycopy(labelled.labels(), 0, labels, 0, labelled.size());
            int firstValidation = labelled.size() + unlabeled.length;
            LabelSpreading.NearestRows nearest = LabelSpreading.NearestRows.of(rows,
                    Arrays.stream(NEIGHBOURS).max().orElseThrow());
            chosenScore = null;
            for (int k : NEIGHBOURS) {
                for (double alpha : ALPHAS) {
                    LabelSpreading candidate = LabelSpreading.of(k, alpha);
                    double[][] d = candidate.fit(nearest, labels, numClasses).distributions();
                    ValidationScore s = ValidationScore.of(Arrays.copyOfRange(d, firstValidation, d.length),
                            validation.labels());
                    if (chosenScore == null || s.beats(chosenScore)) {
                        chosen = candidate;
                        chosenScore = s;
                    }
                }
            }
        }
        float[][] rows = concat(labelled.rows(), unlabeled);
        int[] labels = new int[rows.length];
        Arrays.fill(labels, -1);
        System.arraycopy(labelled.labels(), 0, labels, 0, labelled.size());
        LabelSpreading.Spread spread = chosen.fit(rows, labels, numClasses);
        int[] given = new int[unlabeled.length];
        float[] weights = new float[unlabeled.length];
        for (int u = 0; u < unlabeled.length; u++) {
            int row = labelled.size() + u;
            weights[u] = (float) spread.confidence(row);
            given[u] = weights[u] > 0 ? spread.label(row) : -1;
        }
        String choice = String.format(Locale.ROOT, "k %d, alpha %.2f (%s)", chosen.neighbours(), chosen.alpha(),
                validation.size() > 0 ? chosenScore : "no validation split: scikit-learn's reference setting");
        return new Outcome(SemiMethod.SPREAD, withLabels(labelled, unlabeled, given, weights), given, choice);
    }

    /**
     * The labelled rows (their weights, or 1) followed by every unlabeled row that got a label, with its
     * weight.
     *
     * @param labels each unlabeled row's label, -1 to leave it out
     * @param weights each unlabeled row's weight
     */
    static GraphTrainer.CutData withLabels(GraphTrainer.CutData labelled, float[][] unlabeled, int[] labels,
                                           float[] weights) {
        int kept = (int) Arrays.stream(labels).filter(y -> y >= 0).count();
        int n = labelled.size() + kept;
        float[][] rows = Arrays.copyOf(labelled.rows(), n);
        int[] y = Arrays.copyOf(labelled.labels(), n);
        float[] w = new float[n];
        for (int i = 0; i < labelled.size(); i++) {
            w[i] = labelled.weights() == null ? 1f : labelled.weights()[i];
        }
        int at = labelled.size();
        for (int u = 0; u < unlabeled.length; u++) {
            if (labels[u] >= 0) {
                rows[at] = unlabeled[u];
                y[at] = labels[u];
                w[at++] = weights[u];
            }
        }
        return new GraphTrainer.CutData(rows, y, w);
    }

    /** The rows of a followed by those of b. */
    static float[][] concat(float[][] a, float[][] b) {
        float[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
