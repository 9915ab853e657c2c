package org.transfer4j.unlabeled;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The silhouette coefficient (Rousseeuw, 1987) with Euclidean distances, and the choice of k it makes:
 * the k in a range whose k-means fit has the highest mean silhouette. Above {@link #MAX_ROWS} rows, it
 * is computed on a seeded sample of that many rows (the fit uses every row).
 */
public final class Silhouette {

    /** Rows the silhouette is computed on at most (it costs rows² distances). */
    public static final int MAX_ROWS = 3000;

    private Silhouette() {
    }

    /**
     * The choice of k.
     *
     * @param fit the k-means fit of the chosen k
     * @param scores mean silhouette of each k tried, in order of k
     */
    public record Choice(KMeans.Fit fit, Map<Integer, Double> scores) {

        public Choice {
            scores = Map.copyOf(scores);
        }

        /** The chosen k. */
        public int k() {
            return fit.k();
        }
    }

    /**
     * Fits k-means for each k in [minK, maxK] (capped at rows - 1) and keeps the one of highest mean silhouette.
     *
     * @throws IllegalArgumentException when there are fewer than 3 rows, or minK is below 2
     */
    public static Choice chooseK(float[][] x, int minK, int maxK, long seed) {
        if (minK < 2 || maxK < minK) {
            throw new IllegalArgumentException("k must range over 2 or more, got " + minK + ".." + maxK);
        }
        if (x.length < 3) {
            throw new IllegalArgumentException("--k auto needs at least 3 images, got " + x.length);
        }
        int[] sample = sample(x.length, seed);
        float[][] rows = new float[sample.length][];
        for (int i = 0; i < sample.length; i++) {
            rows[i] = x[sample[i]];
        }
        double[][] distances = distances(rows);
        Map<Integer, Double> scores = new LinkedHashMap<>();
        KMeans.Fit best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = minK; k <= Math.min(maxK, x.length - 1); k++) {
            KMeans.Fit fit = new KMeans(k, seed).fit(x);
            int[] all = fit.labels();
            int[] labels = new int[sample.length];
            for (int i = 0; i < sample.length; i++) {
                labels[i] = all[sample[i]];
            }
            double s = mean(distances, labels, k);
            scores.put(k, s);
            if (s > bestScore) {
                bestScore = s;
                best = fit;
            }
        }
        return new Choice(best, scores);
    }

    /** The mean silhouette of a labelling of the rows (labels in [0, k)). */
    public static double score(float[][] x, int[] labels, int k) {
        return mean(distances(x), labels, k);
    }

    static double mean(double[][] distances, int[] labels, int k) {
        int n = labels.length;
        int[] sizes = new int[k];
        for (int l : labels) {
            sizes[l]++;
        }
        return IntStream.range(0, n).parallel().mapToDouble(i -> {
            if (sizes[labels[i]] <= 1) {
                return 0; // a singleton's silhouette is 0 by definition
            }
            double[] sums = new double[k];
            for (int j = 0; j < n; j++) {
                sums[labels[j]] += distances[i][j];
            }
            double a = sums[labels[i]] / (sizes[labels[i]] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (c != labels[i] && sizes[c] > 0) {
                    b = Math.min(b, sums[c] / sizes[c]);
                }
            }
            return b == Double.POSITIVE_INFINITY ? 0 : (b - a) / Math.max(a, b);
        }).sum() / n;
    }

    private static double[][] distances(float[][] x) {
        int n = x.length;
        double[][] d = new double[n][n];
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int j = i + 1; j < n; j++) {
                d[i][j] = Math.sqrt(VectorMath.squaredDistance(x[i], x[j]));
            }
        });
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                d[i][j] = d[j][i];
            }
        }
        return d;
    }

    private static int[] sample(int n, long seed) {
        if (n <= MAX_ROWS) {
            return IntStream.range(0, n).toArray();
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        return all.subList(0, MAX_ROWS).stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
