package org.transfer4j.model;

import java.util.Arrays;
import java.util.List;

/**
 * The "unknown" answer: an image whose features lie far from every class is none of the classes.
 * The score is the cosine distance of an image's L2-normalised features to the nearest class
 * centroid (the mean of the class's L2-normalised training features, normalised again); an image
 * scoring above {@code threshold} is unknown. {@link #fit} takes the centroids from the training
 * split and the threshold from held-out scores: the {@code 1 - rate} quantile of the validation
 * images' scores, so that about {@code rate} of held-out images would be rejected. When the training
 * features are those the model gives at prediction time (a frozen backbone, no augmentation), each
 * training image is held out too, scored against its class centroid taken without it (the exact
 * leave-one-out centroid), which adds every training image to the sample the quantile is read from:
 * a 95 % quantile of 100 validation scores rests on the 5 largest, one of 1,000 on the 50 largest.
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
 * @param heldOutTrainImages training images whose leave-one-out scores joined the validation scores
 *     the threshold was read from (0: validation scores only)
 */
public record OpenSetRule(String rule, float[][] centroids, double threshold, double rate, int trainImages,
                          int validationImages, double validationRejected, int heldOutTrainImages) {

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
     * Fits the rule: centroids from the training features, threshold from the validation features alone.
     *
     * @param rate target share of validation images rejected, in [0, 1)
     * @throws IllegalArgumentException on an empty split, a class without training images, or a bad rate
     */
    public static OpenSetRule fit(float[][] train, int[] trainLabels, int numClasses, float[][] validation,
                                  double rate) {
        return fit(train, trainLabels, numClasses, validation, rate, false);
    }

    /**
     * Fits the rule: centroids from the training features, threshold from the validation features and,
     * with {@code leaveOneOut}, from each training image scored against centroids taken without it.
     * Pass {@code leaveOneOut} only when {@code train} holds the features the model gives at prediction
     * time (a fine-tuned backbone has seen its training images, which then score too close).
     *
     * @param rate target share of held-out images rejected, in [0, 1)
     * @throws IllegalArgumentException on an empty split, a class without training images, or a bad rate
     */
    public static OpenSetRule fit(float[][] train, int[] trainLabels, int numClasses, float[][] validation,
                                  double rate, boolean leaveOneOut) {
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
            centroids[c] = unit(sums[c]);
        }
        double[] validationScores = new double[validation.length];
        OpenSetRule unfitted = new OpenSetRule(COSINE_CENTROID, centroids, Double.POSITIVE_INFINITY, rate,
                train.length, validation.length, 0, 0);
        for (int i = 0; i < validation.length; i++) {
            validationScores[i] = unfitted.judge(validation[i]).score();
        }
        double[] heldOut = leaveOneOut
                ? leaveOneOutScores(train, trainLabels, sums, counts, centroids) : new double[0];
        double[] pooled = Arrays.copyOf(validationScores, validationScores.length + heldOut.length);
        System.arraycopy(heldOut, 0, pooled, validationScores.length, heldOut.length);
        double threshold = quantile(pooled, 1 - rate);
        return new OpenSetRule(COSINE_CENTROID, centroids, threshold, rate, train.length, validation.length,
                rejectedShare(validationScores, threshold), heldOut.length);
    }

    /**
     * Each training image's score with its own class centroid taken without it (images alone in their
     * class have no such centroid and are left out).
     */
    private static double[] leaveOneOutScores(float[][] train, int[] labels, double[][] sums, int[] counts,
                                              float[][] centroids) {
        double[] scores = new double[train.length];
        int n = 0;
        for (int i = 0; i < train.length; i++) {
            int own = labels[i];
            if (counts[own] < 2) {
                continue;
            }
            float[] unit = unit(train[i]);
            double[] without = sums[own].clone();
            for (int j = 0; j < without.length; j++) {
                without[j] -= unit[j];
            }
            double best = cosine(unit(without), unit);
            for (int c = 0; c < centroids.length; c++) {
                if (c != own) {
                    best = Math.max(best, cosine(centroids[c], unit));
                }
            }
            scores[n++] = 1 - best;
        }
        return Arrays.copyOf(scores, n);
    }

    /** The same rule with another threshold ({@code --threshold}); the fitted figures stay as they were. */
    public OpenSetRule withThreshold(double newThreshold) {
        return new OpenSetRule(rule, centroids, newThreshold, rate, trainImages, validationImages, validationRejected,
                heldOutTrainImages);
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
            double cos = cosine(centroids[c], unit);
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
        String sample = heldOutTrainImages == 0 ? validationImages + " validation images' distances"
                : (validationImages + heldOutTrainImages) + " held-out distances (" + validationImages
                        + " validation images, and " + heldOutTrainImages
                        + " training images each left out of its class centroid)";
        return String.format(java.util.Locale.ROOT, "an image is \"unknown\" when the cosine distance of its features "
                + "to the nearest class centroid (from %d training images) is above %.4f, the %.0f%% quantile of %s, "
                + "which rejects %.1f%% of the validation images (the test split took no part)",
                trainImages, threshold, 100 * (1 - rate), sample, 100 * validationRejected);
    }

    /** The dot product of two vectors of the same width, in double. */
    private static double cosine(float[] unitA, float[] unitB) {
        double dot = 0;
        for (int j = 0; j < unitA.length; j++) {
            dot += (double) unitA[j] * unitB[j];
        }
        return dot;
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
        return unit(v.length, i -> v[i]);
    }

    private static float[] unit(double[] v) {
        return unit(v.length, i -> v[i]);
    }

    private static float[] unit(int width, java.util.function.IntToDoubleFunction element) {
        double norm = 0;
        for (int i = 0; i < width; i++) {
            double x = element.applyAsDouble(i);
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] u = new float[width];
        for (int i = 0; i < width && norm > 0; i++) {
            u[i] = (float) (element.applyAsDouble(i) / norm);
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
