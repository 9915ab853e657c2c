package org.transfer4j.select;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Weighted Kendall τ (Vigna, "A weighted correlation index for rankings with ties", WWW 2015) with
 * the defaults of {@code scipy.stats.weightedtau}: the additive hyperbolic weigher, ranks by
 * decreasing value, and the mean of the two lexicographic orders ((x, y) and (y, x)). Agreement at
 * the top of a ranking counts more than agreement at the bottom, which is what matters when a score
 * is used to pick the best backbone. 1 means the same order, −1 the reverse.
 *
 * <p>For one order, the n elements are sorted by decreasing (primary, secondary) value (equal pairs:
 * the later index first) and the element at position r gets weight w = 1/(r + 1); a pair weighs
 * w_i + w_j. With tot the weight of all pairs, u and v of the pairs tied in x and in y, t of those
 * tied in both, and d of the discordant pairs ((x_i − x_j)(y_i − y_j) &lt; 0),
 * τ = (tot − (u + v − t) − 2d) / √((tot − u)(tot − v)), clipped to [−1, 1]. O(n²): meant for rankings
 * of tens of items.
 */
public final class WeightedKendallTau {

    /** The scipy defaults; there is nothing to set. */
    public WeightedKendallTau() {
    }

    /**
     * τ between two score lists over the same items.
     *
     * @return τ in [−1, 1]; NaN when either list is constant or has fewer than two items (as scipy)
     * @throws IllegalArgumentException when the lengths differ or a value is NaN
     */
    public double score(double[] x, double[] y) {
        checkPair(x, y);
        if (x.length < 2) {
            return Double.NaN;
        }
        return (oneOrder(x, y) + oneOrder(y, x)) / 2;
    }

    /** τ with x's ranking (then y's) deciding each element's weight. */
    private static double oneOrder(double[] x, double[] y) {
        int n = x.length;
        Integer[] ascending = new Integer[n];
        for (int i = 0; i < n; i++) {
            ascending[i] = i;
        }
        Arrays.sort(ascending, Comparator.<Integer>comparingDouble(i -> x[i]).thenComparingDouble(i -> y[i])
                .thenComparingInt(i -> i));
        double[] weight = new double[n];
        for (int r = 0; r < n; r++) {
            weight[ascending[n - 1 - r]] = 1.0 / (r + 1);
        }
        double total = 0;
        double tiedX = 0;
        double tiedY = 0;
        double tiedBoth = 0;
        double discordant = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double w = weight[i] + weight[j];
                total += w;
                boolean tx = x[i] == x[j];
                boolean ty = y[i] == y[j];
                if (tx) {
                    tiedX += w;
                }
                if (ty) {
                    tiedY += w;
                }
                if (tx && ty) {
                    tiedBoth += w;
                }
                if ((x[i] < x[j] && y[i] > y[j]) || (x[i] > x[j] && y[i] < y[j])) {
                    discordant += w;
                }
            }
        }
        if (tiedX == total || tiedY == total) {
            return Double.NaN; // a constant list orders nothing
        }
        double tau = (total - (tiedX + tiedY - tiedBoth) - 2 * discordant) / Math.sqrt(total - tiedX)
                / Math.sqrt(total - tiedY);
        return Math.min(1, Math.max(-1, tau));
    }

    static void checkPair(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("the two score lists differ in length: " + x.length + " and "
                    + y.length + "; give one score per item in each");
        }
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                throw new IllegalArgumentException("item " + i + " has a NaN score (" + x[i] + ", " + y[i]
                        + "); leave the item out of both lists");
            }
        }
    }
}
