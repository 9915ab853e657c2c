package org.transfer4j.unlabeled;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * k-means (Lloyd's algorithm) with k-means++ seeding and several seeded restarts, keeping the fit of
 * lowest inertia. Settings go in the constructor; {@link #fit} returns an immutable {@link Fit} and keeps
 * nothing, so one instance fits any number of data sets, and the same seed gives the same result.
 * Commands run it on L2-normalised embeddings, where squared Euclidean distance is {@code 2 - 2 cos}.
 */
public final class KMeans {

    /** Restarts unless told otherwise. */
    public static final int DEFAULT_RESTARTS = 10;
    /** Lloyd iterations per restart at most. */
    public static final int DEFAULT_MAX_ITERATIONS = 300;

    private final int k;
    private final int restarts;
    private final int maxIterations;
    private final long seed;

    /**
     * @param k clusters, at least 1
     * @param restarts independent seedings, at least 1; the fit of lowest inertia is kept
     * @param maxIterations Lloyd iterations per restart, at least 1
     * @param seed seed of the seedings (restart r uses a generator split from it)
     * @throws IllegalArgumentException naming the setting and the value
     */
    public KMeans(int k, int restarts, int maxIterations, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("--k must be at least 1, got " + k);
        }
        if (restarts < 1 || maxIterations < 1) {
            throw new IllegalArgumentException("restarts and iterations must be at least 1, got " + restarts + " and "
                    + maxIterations);
        }
        this.k = k;
        this.restarts = restarts;
        this.maxIterations = maxIterations;
        this.seed = seed;
    }

    /** {@link #DEFAULT_RESTARTS} restarts of at most {@link #DEFAULT_MAX_ITERATIONS} iterations. */
    public KMeans(int k, long seed) {
        this(k, DEFAULT_RESTARTS, DEFAULT_MAX_ITERATIONS, seed);
    }

    /**
     * A fitted clustering.
     *
     * @param centres k centres
     * @param labels the cluster of each row, in [0, k)
     * @param inertia sum of squared distances of the rows to their centres
     * @param iterations Lloyd iterations of the kept restart
     */
    public record Fit(float[][] centres, int[] labels, double inertia, int iterations) {

        public Fit {
            centres = Arrays.stream(centres).map(float[]::clone).toArray(float[][]::new);
            labels = labels.clone();
        }

        @Override
        public float[][] centres() {
            return Arrays.stream(centres).map(float[]::clone).toArray(float[][]::new);
        }

        @Override
        public int[] labels() {
            return labels.clone();
        }

        /** Number of clusters. */
        public int k() {
            return centres.length;
        }

        /** The nearest centre of a vector. */
        public int predict(float[] x) {
            return nearest(centres, x);
        }

        /** Squared distance of a vector to a centre. */
        public double distance(float[] x, int cluster) {
            return VectorMath.squaredDistance(x, centres[cluster]);
        }
    }

    /**
     * Clusters the rows.
     *
     * @throws IllegalArgumentException when there are fewer rows than clusters
     */
    public Fit fit(float[][] x) {
        if (x.length < k) {
            throw new IllegalArgumentException("--k " + k + " needs at least " + k + " images, got " + x.length);
        }
        SplittableRandom root = new SplittableRandom(seed);
        Fit best = null;
        for (int r = 0; r < restarts; r++) {
            Fit f = lloyd(x, seedCentres(x, root.split()));
            if (best == null || f.inertia() < best.inertia()) {
                best = f;
            }
        }
        return best;
    }

    /** k-means++: the first centre uniformly, each next one with probability proportional to D². */
    private float[][] seedCentres(float[][] x, SplittableRandom random) {
        float[][] c = new float[k][];
        c[0] = x[random.nextInt(x.length)].clone();
        double[] d2 = new double[x.length];
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        for (int j = 1; j < k; j++) {
            float[] last = c[j - 1];
            double total = 0;
            for (int i = 0; i < x.length; i++) {
                d2[i] = Math.min(d2[i], VectorMath.squaredDistance(x[i], last));
                total += d2[i];
            }
            int pick = random.nextInt(x.length);
            if (total > 0) {
                double u = random.nextDouble() * total;
                for (int i = 0; i < x.length; i++) {
                    u -= d2[i];
                    if (u <= 0) {
                        pick = i;
                        break;
                    }
                }
            }
            c[j] = x[pick].clone();
        }
        return c;
    }

    private Fit lloyd(float[][] x, float[][] centres) {
        int n = x.length;
        int d = x[0].length;
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        int iteration = 0;
        boolean changed = true;
        while (changed && iteration < maxIterations) {
            iteration++;
            float[][] current = centres;
            int[] next = IntStream.range(0, n).parallel().map(i -> nearest(current, x[i])).toArray();
            changed = !Arrays.equals(next, labels);
            labels = next;
            double[][] sums = new double[k][d];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                counts[labels[i]]++;
                for (int j = 0; j < d; j++) {
                    sums[labels[i]][j] += x[i][j];
                }
            }
            centres = new float[k][d];
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    // an empty cluster takes the row farthest from its centre
                    int far = farthest(x, current, labels);
                    centres[c] = x[far].clone();
                    labels[far] = c;
                    changed = true;
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    centres[c][j] = (float) (sums[c][j] / counts[c]);
                }
            }
        }
        double inertia = 0;
        for (int i = 0; i < n; i++) {
            inertia += VectorMath.squaredDistance(x[i], centres[labels[i]]);
        }
        return new Fit(centres, labels, inertia, iteration);
    }

    private static int farthest(float[][] x, float[][] centres, int[] labels) {
        int far = 0;
        double most = -1;
        for (int i = 0; i < x.length; i++) {
            double dist = VectorMath.squaredDistance(x[i], centres[labels[i]]);
            if (dist > most) {
                most = dist;
                far = i;
            }
        }
        return far;
    }

    static int nearest(float[][] centres, float[] v) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centres.length; c++) {
            double dist = VectorMath.squaredDistance(v, centres[c]);
            if (dist < bestDistance) {
                bestDistance = dist;
                best = c;
            }
        }
        return best;
    }
}
