package org.transfer4j.semi;

import java.util.Arrays;
import java.util.Locale;
import org.transfer4j.train.GraphTrainer;

/**
 * Self-training with confident pseudo labels (Lee 2013; scikit-learn's {@code SelfTrainingClassifier}):
 * a head trained on the labelled rows labels every unlabeled row whose top probability reaches a
 * threshold; a fresh head trains on labelled plus pseudo-labelled rows (each weighted by its
 * probability), labels again, and so on for a few rounds.
 *
 * <p>Both choices read the validation split only: the threshold is the candidate whose first round
 * scores best ({@link ValidationScore}), then rounds continue with it up to {@code maxRounds}, and the
 * round that scores best is kept; round 0 (no pseudo label) competes too, so that pseudo labels which do
 * not help are dropped. Without a validation split nothing can choose: the first threshold at or above
 * {@link #FALLBACK_THRESHOLD} and one round.
 *
 * @param thresholds the candidate thresholds, in (0, 1]
 * @param maxRounds the most rounds
 */
public record PseudoLabelling(double[] thresholds, int maxRounds) {

    /** The threshold used when there is no validation split to choose one. */
    public static final double FALLBACK_THRESHOLD = 0.9;

    public PseudoLabelling {
        thresholds = thresholds.clone();
        if (thresholds.length == 0 || Arrays.stream(thresholds).anyMatch(t -> !(t > 0 && t <= 1))) {
            throw new IllegalArgumentException("pseudo-label thresholds must be in (0, 1], got " + Arrays.toString(thresholds));
        }
        if (maxRounds < 1) {
            throw new IllegalArgumentException("pseudo labelling needs at least 1 round, got " + maxRounds);
        }
    }

    /** Thresholds 0.6, 0.8, 0.9, 0.95 and 0.99; at most 3 rounds. */
    public static PseudoLabelling defaults() {
        return new PseudoLabelling(new double[] {0.6, 0.8, 0.9, 0.95, 0.99}, 3);
    }

    /**
     * What pseudo labelling kept.
     *
     * @param train labelled rows then the pseudo-labelled ones (weighted by probability)
     * @param labels the pseudo label of each unlabeled row, -1 where it got none
     * @param threshold the chosen threshold
     * @param rounds the kept round (0: no pseudo label helped on the validation split)
     * @param score the kept round's validation score (NaN without a validation split)
     */
    public record Result(GraphTrainer.CutData train, int[] labels, double threshold, int rounds, ValidationScore score) {

        /** The choice in words. */
        public String describe() {
            return String.format(Locale.ROOT, "threshold %.2f, %d round%s (%s)", threshold, rounds,
                    rounds == 1 ? "" : "s", score);
        }
    }

    /**
     * Runs the rounds.
     *
     * @param training trains a fresh head and scores rows
     * @param labelled the labelled training rows
     * @param unlabeled the unlabeled rows
     * @param validation the validation rows (may be empty)
     */
    public Result fit(HeadTraining training, GraphTrainer.CutData labelled, float[][] unlabeled,
                      GraphTrainer.CutData validation) {
        boolean choosing = validation.size() > 0;
        float[][] both = SemiSupervision.concat(unlabeled, validation.rows());
        float[][] scored = training.trainAndPredict(labelled, both);
        Round best = new Round(0, Double.NaN, labelled, filled(unlabeled.length), score(scored, unlabeled.length,
                validation));
        double[] candidates = choosing ? thresholds : new double[] {fallback()};
        float[][] start = Arrays.copyOf(scored, unlabeled.length);
        Round first = null;
        float[][] firstScored = null;
        for (double t : candidates) {
            int[] pseudo = pseudoLabels(start, t);
            GraphTrainer.CutData train = withPseudo(labelled, unlabeled, pseudo, start);
            float[][] s = training.trainAndPredict(train, both);
            Round r = new Round(1, t, train, pseudo, score(s, unlabeled.length, validation));
            if (first == null || r.score.beats(first.score)) {
                first = r;
                firstScored = s;
            }
        }
        if (!choosing) {
            return first.result();
        }
        if (first.score.beats(best.score)) {
            best = first;
        }
        float[][] previousScored = firstScored;
        for (int round = 2; round <= maxRounds; round++) {
            float[][] probabilities = Arrays.copyOf(previousScored, unlabeled.length);
            int[] pseudo = pseudoLabels(probabilities, first.threshold);
            GraphTrainer.CutData train = withPseudo(labelled, unlabeled, pseudo, probabilities);
            float[][] s = training.trainAndPredict(train, both);
            Round r = new Round(round, first.threshold, train, pseudo, score(s, unlabeled.length, validation));
            if (r.score.beats(best.score)) {
                best = r;
            }
            previousScored = s;
        }
        return best.round == 0 ? new Result(labelled, best.labels, first.threshold, 0, best.score) : best.result();
    }

    private double fallback() {
        return Arrays.stream(thresholds).filter(t -> t >= FALLBACK_THRESHOLD).min()
                .orElse(Arrays.stream(thresholds).max().orElseThrow());
    }

    private record Round(int round, double threshold, GraphTrainer.CutData train, int[] labels, ValidationScore score) {
        Result result() {
            return new Result(train, labels, threshold, round, score);
        }
    }

    private static ValidationScore score(float[][] scored, int offset, GraphTrainer.CutData validation) {
        return ValidationScore.of(Arrays.copyOfRange(scored, offset, scored.length), validation.labels());
    }

    private static int[] pseudoLabels(float[][] probabilities, double threshold) {
        int[] labels = filled(probabilities.length);
        for (int i = 0; i < probabilities.length; i++) {
            int best = argMax(probabilities[i]);
            if (probabilities[i][best] >= threshold) {
                labels[i] = best;
            }
        }
        return labels;
    }

    /** Labelled rows followed by the pseudo-labelled rows, weighted by probability. */
    private static GraphTrainer.CutData withPseudo(GraphTrainer.CutData labelled, float[][] unlabeled, int[] pseudo,
                                                   float[][] probabilities) {
        float[] weights = new float[unlabeled.length];
        for (int i = 0; i < unlabeled.length; i++) {
            weights[i] = pseudo[i] >= 0 ? probabilities[i][pseudo[i]] : 0f;
        }
        return SemiSupervision.withLabels(labelled, unlabeled, pseudo, weights);
    }

    static int argMax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }
}
