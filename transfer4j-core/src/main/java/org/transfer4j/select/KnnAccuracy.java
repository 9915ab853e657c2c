package org.transfer4j.select;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Leave-one-out k-nearest-neighbour accuracy on L2-normalised features, with the weighted vote of
 * DINO's kNN evaluation (Caron et al., ICCV 2021): each image is classified by its k most
 * cosine-similar other images, each voting for its class with weight exp(similarity / temperature).
 * Higher is better. Ties are broken without randomness: among equally similar neighbours the
 * earlier row is taken, and among classes with equal votes the smaller label wins.
 *
 * <pre>{@code
 * double accuracy = new KnnAccuracy().fit(features, labels).accuracy();
 * }</pre>
 */
public final class KnnAccuracy {

    /** DINO's k. */
    public static final int DEFAULT_K = 20;
    /** DINO's temperature. */
    public static final double DEFAULT_TEMPERATURE = 0.07;

    private final int k;
    private final double temperature;

    /**
     * A fitted leave-one-out kNN.
     *
     * @param accuracy share of images whose predicted class is their own
     * @param correct images classified right
     * @param images images scored (every row, each left out of its own vote)
     * @param neighbours neighbours that voted per image: k, or fewer when there are fewer other images
     */
    public record Result(double accuracy, int correct, int images, int neighbours) {
    }

    /** k = 20, temperature 0.07, as in DINO. */
    public KnnAccuracy() {
        this(DEFAULT_K, DEFAULT_TEMPERATURE);
    }

    /**
     * @param k neighbours that vote (at least 1)
     * @param temperature of the vote weights exp(similarity / temperature) (positive)
     */
    public KnnAccuracy(int k, double temperature) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        this.k = k;
        this.temperature = temperature;
    }

    /**
     * Scores float32 features.
     *
     * @throws IllegalArgumentException on a label count that differs from the rows, non-finite
     *     features, a single class or a class with fewer than two images
     */
    public Result fit(float[][] features, int[] labels) {
        return fit(LabelledMatrix.of(features, labels));
    }

    /**
     * Scores float64 features.
     *
     * @throws IllegalArgumentException as {@link #fit(float[][], int[])}
     */
    public Result fit(double[][] features, int[] labels) {
        return fit(LabelledMatrix.of(features, labels));
    }

    private Result fit(LabelledMatrix data) {
        int n = data.size();
        double[][] rows = data.rows(); // a private copy: normalised in place
        for (double[] row : rows) {
            double norm = 0;
            for (double v : row) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            if (norm > 0) { // an all-zero row stays zero: similarity 0 to everything
                for (int j = 0; j < row.length; j++) {
                    row[j] /= norm;
                }
            }
        }
        DMatrixRMaj f = new DMatrixRMaj(rows);
        DMatrixRMaj similarity = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransB(f, f, similarity);
        int voters = Math.min(k, n - 1);
        int maxLabel = data.classes()[data.classes().length - 1];
        int correct = 0;
        int[] nearest = new int[voters];
        double[] votes = new double[maxLabel + 1];
        for (int i = 0; i < n; i++) {
            nearest(similarity, i, nearest);
            Arrays.fill(votes, 0);
            for (int j : nearest) {
                votes[data.labels()[j]] += Math.exp(similarity.unsafe_get(i, j) / temperature);
            }
            int predicted = 0;
            for (int c = 1; c < votes.length; c++) {
                if (votes[c] > votes[predicted]) {
                    predicted = c;
                }
            }
            if (predicted == data.labels()[i]) {
                correct++;
            }
        }
        return new Result((double) correct / n, correct, n, voters);
    }

    /**
     * The most similar rows to row i, other than i, most similar first (earlier row on equal
     * similarity): a partial insertion sort, O(n·k).
     */
    private static void nearest(DMatrixRMaj similarity, int i, int[] out) {
        int filled = 0;
        int n = similarity.numCols;
        for (int j = 0; j < n; j++) {
            if (j == i) {
                continue;
            }
            double s = similarity.unsafe_get(i, j);
            if (filled == out.length && s <= similarity.unsafe_get(i, out[filled - 1])) {
                continue; // not better than the worst kept (equal: the earlier row stays)
            }
            int pos = filled == out.length ? filled - 1 : filled++;
            while (pos > 0 && s > similarity.unsafe_get(i, out[pos - 1])) {
                out[pos] = out[pos - 1];
                pos--;
            }
            out[pos] = j;
        }
    }
}
