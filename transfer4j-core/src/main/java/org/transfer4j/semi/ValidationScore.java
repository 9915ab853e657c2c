package org.transfer4j.semi;

import java.util.Locale;

/**
 * How well class distributions fit the validation labels: accuracy first, then the mean negative log
 * probability of the true class (so that a validation split of a few images still ranks settings).
 * Every semi-supervised choice compares these, on the validation split only.
 *
 * @param accuracy share of rows whose most likely class is the true one
 * @param loss mean {@code -ln max(p_true, 1e-6)}
 */
public record ValidationScore(double accuracy, double loss) {

    private static final double FLOOR = 1e-6;

    /** The score of probability rows (double or float) against labels. */
    public static ValidationScore of(double[][] probabilities, int[] labels) {
        if (labels.length == 0) {
            return new ValidationScore(Double.NaN, Double.NaN);
        }
        long correct = 0;
        double loss = 0;
        for (int i = 0; i < labels.length; i++) {
            double[] p = probabilities[i];
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
            loss -= Math.log(Math.max(p[labels[i]], FLOOR));
        }
        return new ValidationScore((double) correct / labels.length, loss / labels.length);
    }

    /** {@link #of(double[][], int[])} for float rows. */
    public static ValidationScore of(float[][] probabilities, int[] labels) {
        double[][] p = new double[probabilities.length][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[probabilities[i].length];
            for (int c = 0; c < p[i].length; c++) {
                p[i][c] = probabilities[i][c];
            }
        }
        return of(p, labels);
    }

    /** Strictly better: a higher accuracy, or the same accuracy and a lower loss. */
    public boolean beats(ValidationScore other) {
        if (accuracy != other.accuracy) {
            return accuracy > other.accuracy;
        }
        return loss < other.loss;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "validation accuracy %.3f, loss %.4f", accuracy, loss);
    }
}
