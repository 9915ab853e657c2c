package org.transfer4j.unlabeled;

import java.util.Arrays;

/**
 * How well a clustering agrees with hidden labels, for benchmarks: accuracy after the best one-to-one
 * matching of clusters to classes (the Hungarian matching, solved exactly by dynamic programming over
 * subsets, so at most {@link #MAX_GROUPS} clusters or classes), normalised mutual information
 * (arithmetic mean of the entropies, scikit-learn's default) and the adjusted Rand index.
 *
 * @param accuracy share of rows whose cluster is matched to their class
 * @param nmi normalised mutual information, in [0, 1]
 * @param ari adjusted Rand index, 1 for identical partitions, about 0 for chance
 */
public record ClusterAgreement(double accuracy, double nmi, double ari) {

    /** Largest number of clusters or classes the exact matching handles. */
    public static final int MAX_GROUPS = 16;

    /**
     * Scores clusters against classes.
     *
     * @param classes the hidden label of each row, from 0
     * @param clusters the cluster of each row, from 0
     * @throws IllegalArgumentException when the lengths differ or there are more than {@link #MAX_GROUPS} groups
     */
    public static ClusterAgreement of(int[] classes, int[] clusters) {
        if (classes.length != clusters.length || classes.length == 0) {
            throw new IllegalArgumentException("need as many labels as clusters, and some: " + classes.length + " and "
                    + clusters.length);
        }
        int nClasses = Arrays.stream(classes).max().orElse(0) + 1;
        int nClusters = Arrays.stream(clusters).max().orElse(0) + 1;
        int m = Math.max(nClasses, nClusters);
        if (m > MAX_GROUPS) {
            throw new IllegalArgumentException("at most " + MAX_GROUPS + " clusters or classes, got " + m);
        }
        long[][] table = new long[m][m]; // [cluster][class]
        for (int i = 0; i < classes.length; i++) {
            table[clusters[i]][classes[i]]++;
        }
        double n = classes.length;
        return new ClusterAgreement(bestMatch(table) / n, nmi(table, n), ari(table, n));
    }

    /** The largest sum of counts over one-to-one matchings of rows to columns. */
    private static long bestMatch(long[][] t) {
        int m = t.length;
        long[] best = new long[1 << m];
        Arrays.fill(best, -1);
        best[0] = 0;
        for (int mask = 0; mask < (1 << m); mask++) {
            if (best[mask] < 0) {
                continue;
            }
            int row = Integer.bitCount(mask); // rows are matched in order
            if (row == m) {
                continue;
            }
            for (int col = 0; col < m; col++) {
                if ((mask & (1 << col)) == 0) {
                    int next = mask | (1 << col);
                    best[next] = Math.max(best[next], best[mask] + t[row][col]);
                }
            }
        }
        return best[(1 << m) - 1];
    }

    private static double nmi(long[][] t, double n) {
        int m = t.length;
        double[] rows = new double[m];
        double[] cols = new double[m];
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                rows[a] += t[a][b];
                cols[b] += t[a][b];
            }
        }
        double mi = 0;
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                if (t[a][b] > 0) {
                    mi += t[a][b] / n * Math.log(n * t[a][b] / (rows[a] * cols[b]));
                }
            }
        }
        double h = (entropy(rows, n) + entropy(cols, n)) / 2;
        return h == 0 ? 1 : Math.max(0, mi) / h;
    }

    private static double entropy(double[] counts, double n) {
        double h = 0;
        for (double c : counts) {
            if (c > 0) {
                h -= c / n * Math.log(c / n);
            }
        }
        return h;
    }

    private static double ari(long[][] t, double n) {
        int m = t.length;
        double index = 0;
        double[] rows = new double[m];
        double[] cols = new double[m];
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                index += pairs(t[a][b]);
                rows[a] += t[a][b];
                cols[b] += t[a][b];
            }
        }
        double sumRows = Arrays.stream(rows).map(ClusterAgreement::pairs).sum();
        double sumCols = Arrays.stream(cols).map(ClusterAgreement::pairs).sum();
        double expected = sumRows * sumCols / pairs(n);
        double max = (sumRows + sumCols) / 2;
        return max == expected ? 1 : (index - expected) / (max - expected);
    }

    private static double pairs(double c) {
        return c * (c - 1) / 2;
    }
}
