package org.transfer4j.select;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Spearman's rank correlation ρ, as {@code scipy.stats.spearmanr}: the Pearson correlation of the
 * two lists' ranks, tied values sharing their average rank.
 */
public final class SpearmanRho {

    /** Nothing to set. */
    public SpearmanRho() {
    }

    /**
     * ρ between two score lists over the same items.
     *
     * @return ρ in [−1, 1]; NaN when either list is constant or has fewer than two items
     * @throws IllegalArgumentException when the lengths differ or a value is NaN
     */
    public double score(double[] x, double[] y) {
        WeightedKendallTau.checkPair(x, y);
        if (x.length < 2) {
            return Double.NaN;
        }
        double[] rx = averageRanks(x);
        double[] ry = averageRanks(y);
        double mean = (x.length + 1) / 2.0; // the mean of ranks 1..n, ties or not
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (rx[i] - mean) * (ry[i] - mean);
            sxx += (rx[i] - mean) * (rx[i] - mean);
            syy += (ry[i] - mean) * (ry[i] - mean);
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return Math.min(1, Math.max(-1, sxy / Math.sqrt(sxx * syy)));
    }

    /** Ranks 1..n of the values in ascending order; equal values share the mean of their ranks. */
    static double[] averageRanks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[n];
        int start = 0;
        while (start < n) {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int p = start; p <= end; p++) {
                ranks[order[p]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }
}
