package org.transfer4j.semi;

import java.util.List;
import org.transfer4j.unlabeled.NeighbourIndex;

/**
 * Label spreading (Zhou et al., "Learning with local and global consistency", 2004) on a k-nearest-
 * neighbour graph, computed as scikit-learn's {@code LabelSpreading(kernel='knn', n_neighbors=k,
 * alpha=α, max_iter=30, tol=1e-3)} computes it:
 *
 * <ol>
 *   <li>{@code A[i][j] = 1} when j is among the k nearest rows of i (i itself included), by cosine
 *       similarity of L2-normalised features (the same order as Euclidean distance between them);
 *   <li>{@code S = D^-1/2 A D^-1/2} without its diagonal, d_j the in-degree of j without its self-loop
 *       (SciPy's normalised {@code csgraph.laplacian}, negated);
 *   <li>from {@code F = Y} (one-hot rows for the labelled images, zero rows for the others),
 *       {@code F ← α·S·F + (1 − α)·Y} until the summed absolute change is below the tolerance, at most
 *       {@code maxIterations} times; rows are normalised to sum to 1 at the end.
 * </ol>
 *
 * <p>An estimator: settings here, {@link #fit} returns the {@link Spread}. {@code LabelSpreadingTest}
 * compares it with scikit-learn itself.
 *
 * @param neighbours k of the kNN graph
 * @param alpha the share of a row's labels that comes from its neighbours, in (0, 1)
 * @param maxIterations the most iterations
 * @param tolerance stop when the summed absolute change of F is below this
 */
public record LabelSpreading(int neighbours, double alpha, int maxIterations, double tolerance) {

    /** scikit-learn's {@code n_neighbors} default for the knn kernel. */
    public static final int REFERENCE_NEIGHBOURS = 7;
    /** scikit-learn's {@code alpha} default. */
    public static final double REFERENCE_ALPHA = 0.2;

    public LabelSpreading {
        if (neighbours < 1) {
            throw new IllegalArgumentException("label spreading needs k >= 1 neighbours, got " + neighbours);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("label spreading needs alpha in (0, 1), got " + alpha);
        }
        if (maxIterations < 1 || !(tolerance >= 0)) {
            throw new IllegalArgumentException("label spreading needs iterations >= 1 and a tolerance >= 0");
        }
    }

    /** scikit-learn's defaults for the knn kernel: k 7, α 0.2, 30 iterations, tolerance 1e-3. */
    public static LabelSpreading reference() {
        return of(REFERENCE_NEIGHBOURS, REFERENCE_ALPHA);
    }

    /** k and α with scikit-learn's iteration limit and tolerance. */
    public static LabelSpreading of(int neighbours, double alpha) {
        return new LabelSpreading(neighbours, alpha, 30, 1e-3);
    }

    /**
     * The label distribution of every row.
     *
     * @param features one row per image (labelled and not), normalised here
     * @param labels the class of each row, or -1 when unlabeled
     * @param numClasses number of classes
     */
    public Spread fit(float[][] features, int[] labels, int numClasses) {
        return fit(NearestRows.of(features, neighbours), labels, numClasses);
    }

    /**
     * {@link #fit(float[][], int[], int)} on neighbour lists computed once (for several k and α).
     *
     * @param nearest each row's nearest rows, at least {@link #neighbours()} of them
     */
    public Spread fit(NearestRows nearest, int[] labels, int numClasses) {
        int n = nearest.rows().length;
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " rows but " + labels.length + " labels");
        }
        if (nearest.k() < Math.min(neighbours, n)) {
            throw new IllegalArgumentException("the neighbour lists hold " + nearest.k() + " rows, k is " + neighbours);
        }
        int[][] out = new int[n][];
        double[] degree = new double[n];
        for (int i = 0; i < n; i++) {
            int self = i;
            out[i] = java.util.Arrays.stream(nearest.rows()[i]).limit(neighbours).filter(j -> j != self).toArray();
            for (int j : out[i]) {
                degree[j]++;
            }
        }
        double[] scale = new double[n];
        for (int j = 0; j < n; j++) {
            scale[j] = degree[j] == 0 ? 1 : 1 / Math.sqrt(degree[j]);
        }
        double[][] y = new double[n][numClasses];
        for (int i = 0; i < n; i++) {
            if (labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is not below " + numClasses);
            }
            if (labels[i] >= 0) {
                y[i][labels[i]] = 1;
            }
        }
        double[][] f = new double[n][];
        for (int i = 0; i < n; i++) {
            f[i] = y[i].clone();
        }
        double[][] previous = new double[n][numClasses];
        int iterations = 0;
        while (iterations < maxIterations && change(f, previous) >= tolerance) {
            previous = f;
            double[][] next = new double[n][numClasses];
            for (int i = 0; i < n; i++) {
                for (int j : out[i]) {
                    double s = scale[i] * scale[j];
                    for (int c = 0; c < numClasses; c++) {
                        next[i][c] += s * previous[j][c];
                    }
                }
                for (int c = 0; c < numClasses; c++) {
                    next[i][c] = alpha * next[i][c] + (1 - alpha) * y[i][c];
                }
            }
            f = next;
            iterations++;
        }
        for (double[] row : f) {
            double sum = 0;
            for (double v : row) {
                sum += v;
            }
            if (sum != 0) {
                for (int c = 0; c < row.length; c++) {
                    row[c] /= sum;
                }
            }
        }
        return new Spread(f, iterations);
    }

    private static double change(double[][] a, double[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < a[i].length; c++) {
                sum += Math.abs(a[i][c] - b[i][c]);
            }
        }
        return sum;
    }

    /**
     * Each row's nearest rows by cosine similarity, itself included, most similar first: the kNN graph
     * for every k up to {@link #k()}.
     *
     * @param rows for each row, the indices of its nearest rows
     * @param k how many each list holds (fewer when there are fewer rows)
     */
    public record NearestRows(int[][] rows, int k) {

        /** Exact search over the L2-normalised features. */
        public static NearestRows of(float[][] features, int k) {
            NeighbourIndex index = NeighbourIndex.exact(features);
            int[][] rows = new int[features.length][];
            for (int i = 0; i < features.length; i++) {
                List<NeighbourIndex.Neighbour> found = index.search(features[i], k);
                rows[i] = found.stream().mapToInt(NeighbourIndex.Neighbour::row).toArray();
            }
            return new NearestRows(rows, k);
        }
    }

    /**
     * What spreading gave.
     *
     * @param distributions each row's class distribution (sums to 1, or all 0 for a row no label reached)
     * @param iterations the iterations run
     */
    public record Spread(double[][] distributions, int iterations) {

        /** The most likely class of a row (the first on ties, 0 for a row no label reached). */
        public int label(int row) {
            double[] d = distributions[row];
            int best = 0;
            for (int c = 1; c < d.length; c++) {
                if (d[c] > d[best]) {
                    best = c;
                }
            }
            return best;
        }

        /** The probability of a row's most likely class (0 for a row no label reached). */
        public double confidence(int row) {
            return distributions[row][label(row)];
        }
    }
}
