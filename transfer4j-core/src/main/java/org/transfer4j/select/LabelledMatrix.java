package org.transfer4j.select;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * Feature rows with one class label each, checked once for what every estimator here needs: as many
 * labels as rows, one width, finite values, at least two classes and at least two images per class.
 *
 * @param rows the features, one row per image, copied to float64
 * @param labels the class label of each row
 * @param classes the distinct labels, ascending
 */
record LabelledMatrix(double[][] rows, int[] labels, int[] classes) {

    /** Checks and copies float32 features. */
    static LabelledMatrix of(float[][] features, int[] labels) {
        if (features == null || labels == null) {
            throw new IllegalArgumentException("features and labels must not be null");
        }
        double[][] rows = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            if (features[i] == null) {
                throw new IllegalArgumentException("feature row " + i + " is null");
            }
            rows[i] = new double[features[i].length];
            for (int j = 0; j < features[i].length; j++) {
                rows[i][j] = features[i][j];
            }
        }
        return check(rows, labels.clone());
    }

    /** Checks and copies float64 features. */
    static LabelledMatrix of(double[][] features, int[] labels) {
        if (features == null || labels == null) {
            throw new IllegalArgumentException("features and labels must not be null");
        }
        double[][] rows = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            if (features[i] == null) {
                throw new IllegalArgumentException("feature row " + i + " is null");
            }
            rows[i] = features[i].clone();
        }
        return check(rows, labels.clone());
    }

    private static LabelledMatrix check(double[][] rows, int[] labels) {
        if (rows.length != labels.length) {
            throw new IllegalArgumentException(rows.length + " feature rows but " + labels.length
                    + " labels; give one label per row, in row order");
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException("no feature rows; scoring needs at least two images of each of two classes");
        }
        int width = rows[0].length;
        if (width == 0) {
            throw new IllegalArgumentException("feature rows have width 0; give at least one feature per image");
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException("feature row " + i + " has " + rows[i].length
                        + " values but row 0 has " + width + "; every row must have the same width");
            }
            for (int j = 0; j < width; j++) {
                if (!Double.isFinite(rows[i][j])) {
                    throw new IllegalArgumentException("feature row " + i + ", column " + j + " is " + rows[i][j]
                            + "; features must be finite (recompute them, or drop the image)");
                }
            }
        }
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i]
                        + "; class labels must be integers from 0");
            }
            counts.merge(labels[i], 1, Integer::sum);
        }
        if (counts.size() < 2) {
            throw new IllegalArgumentException("all " + labels.length + " images have label " + counts.firstKey()
                    + "; a backbone can only be scored on at least two classes");
        }
        for (var c : counts.entrySet()) {
            if (c.getValue() < 2) {
                throw new IllegalArgumentException("class " + c.getKey() + " has " + c.getValue()
                        + " image; scoring needs at least 2 images per class (add images, or drop the class)");
            }
        }
        int[] classes = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
        return new LabelledMatrix(rows, labels, classes);
    }

    int size() {
        return rows.length;
    }

    int width() {
        return rows[0].length;
    }

    @Override
    public String toString() {
        return size() + " x " + width() + " features, classes " + Arrays.toString(classes);
    }
}
