package org.transfer4j.model;

import java.util.Arrays;
import java.util.List;

/**
 * The "unknown" answer: an image whose features lie far from every class is none of the classes.
 * The score is the cosine distance of an image's L2-normalised features to the nearest class
 * centroid (the mean of the class's L2-normalised training features, normalised again); an image
 * scoring above {@code threshold} is unknown. {@link #fit} takes the centroids from the training
 * split and the threshold from the validation split only: the {@code 1 - rate} quantile of the
 * validation images' scores, so that about {@code rate} of validation images would be rejected.
 * The test split plays no part.
 *
 * <p>Stored in the manifest as {@code unknown}; a bundle without it never answers unknown.
 *
 * @param rule the score's name, {@value #COSINE_CENTROID}
 * @param centroids one unit vector per class, index = class index
 * @param threshold scores above it are unknown
 * @param rate the target share of validation images rejected the threshold was fitted for
 * @param trainImages training images the centroids are the mean of
 * @param validationImages validation images the threshold was fitted on
 * @param validationRejected the share of those validation images scoring above the threshold
 */
public record OpenSetRule(String rule, float[][] centroids, double threshold, double rate, int trainImages,
                          int validationImages, double validationRejected) {

    /** Cosine distance to the nearest class centroid. */
    public static final String COSINE_CENTROID = "cosine-distance-to-nearest-class-centroid";
    /** The default target share of validation images called unknown. */
    public static final double DEFAULT_RATE = 0.05;

    /**
     * One image's verdict.
     *
     * @param unknown whether the score is above the threshold
     * @param score cosine distance to the nearest centroid (0 = on it, up to 2)
     * @param nearestClass index of the nearest class
     * @param threshold the threshold applied
     */
    public record Verdict(boolean unknown, double score, int nearestClass, double threshold) {
    }

    /**
     * Fits the rule: centroids from the training features, threshold from the validation features.
     *
     * @param rate target share of validation images rejected, in [0, 1)
     * @throws IllegalArgumentException on an empty split, a class without training images, or a bad rate
     */
    public static OpenSetRule fit(float[][] train, int[] trainLabels, int numClasses, float[][] validation,
                                  double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("--unknown-rate must be in [0, 1), got " + rate);
        }
        if (train.length == 0 || validation.length == 0) {
            throw new IllegalArgumentException("the unknown rule needs training and validation images, got "
                    + train.length + " and " + validation.length);
        }
        int width = train[0].length;
        double[][] sums = new double[numClasses][width];
        int[] counts = new int[numClasses];
        for (int i = 0; i < train.length; i++) {
            float[] unit = unit(train[i]);
            counts[trainLabels[i]]++;
            for (int j = 0; j < width; j++) {
                sums[trainLabels[i]][j] += unit[j];
            }
        }
        float[][] centroids = new float[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("class " + c + " has no training image to take a centroid from");
            }
            float[] mean = new float[width];
            for (int j = 0; j < width; j++) {
                mean[j] = (float) (sums[c][j] / counts[c]);
            }
            centroids[c] = unit(mean);
        }
        OpenSetRule unfitted = new OpenSetRule(COSINE_CENTROID, centroids, Double.POSITIVE_INFINITY, rate,
                train.length, validation.length, 0);
        double[] scores = new double[validation.length];
        for (int i = 0; i < validation.length; i++) {
            scores[i] = unfitted.judge(validation[i]).score();
        }
        double threshold = quantile(scores, 1 - rate);
        return unfitted.withThreshold(threshold).withRejectedShare(scores);
    }

    private OpenSetRule withRejectedShare(double[] validationScores) {
        return new OpenSetRule(rule, centroids, threshold, rate, trainImages, validationImages,
                rejectedShare(validationScores, threshold));
    }

    /** The same rule with another threshold ({@code --threshold}); the fitted figures stay as they were. */
    public OpenSetRule withThreshold(double newThreshold) {
        return new OpenSetRule(rule, centroids, newThreshold, rate, trainImages, validationImages, validationRejected);
    }

    /** The verdict on one image's features (the {@code features} output of {@code model.onnx}). */
    public Verdict judge(float[] features) {
        float[] unit = unit(features);
        double best = Double.NEGATIVE_INFINITY;
        int nearest = 0;
        for (int c = 0; c < centroids.length; c++) {
            if (centroids[c].length != unit.length) {
                throw new IllegalArgumentException("the unknown rule's centroids have " + centroids[c].length
                        + " features, the image has " + unit.length);
            }
            double cos = 0;
            for (int j = 0; j < unit.length; j++) {
                cos += (double) centroids[c][j] * unit[j];
            }
            if (cos > best) {
                best = cos;
                nearest = c;
            }
        }
        double score = 1 - best;
        return new Verdict(score > threshold, score, nearest, threshold);
    }

    /** The rule and its validation figures in one sentence, for the report and the model card. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "an image is \"unknown\" when the cosine distance of its features "
                + "to the nearest class centroid (from %d training images) is above %.4f, the %.0f%% quantile of %d "
                + "validation images' distances, which rejects %.1f%% of them (the test split took no part)",
                trainImages, threshold, 100 * (1 - rate), validationImages, 100 * validationRejected);
    }

    /** The share of scores above a threshold. */
    public static double rejectedShare(double[] scores, double threshold) {
        return scores.length == 0 ? 0 : Arrays.stream(scores).filter(s -> s > threshold).count() / (double) scores.length;
    }

    /** The q-quantile with linear interpolation between order statistics (NumPy's default). */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /** The vector divided by its L2 norm (a zero vector stays zero). */
    static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        float[] u = new float[v.length];
        for (int i = 0; i < v.length && norm > 0; i++) {
            u[i] = (float) (v[i] / norm);
        }
        return u;
    }

    /**
     * The rule as the manifest holds it, checked against the model.
     *
     * @throws ModelException when the centroids do not match the classes or the feature width
     */
    public void check(List<String> classes, int featureWidth) {
        boolean ok = centroids != null && centroids.length == classes.size() && !Double.isNaN(threshold);
        for (int c = 0; ok && c < centroids.length; c++) {
            ok = centroids[c] != null && centroids[c].length == featureWidth;
        }
        if (!ok) {
            throw new ModelException("the manifest's unknown rule does not fit the model (it needs " + classes.size()
                    + " centroids of " + featureWidth + " features and a threshold); the manifest was edited: restore "
                    + "it, or delete its \"unknown\" field to predict without the unknown answer");
        }
    }
}
