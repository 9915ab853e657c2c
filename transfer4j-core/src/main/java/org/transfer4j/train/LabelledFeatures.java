package org.transfer4j.train;

/**
 * Feature rows with their class indices: what a head trains and is tested on.
 *
 * @param features one row per example, all of one width
 * @param labels class index per example
 */
public record LabelledFeatures(float[][] features, int[] labels) {

    public LabelledFeatures {
        if (features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " rows but " + labels.length + " labels");
        }
    }

    public int size() {
        return labels.length;
    }

    public int width() {
        return features.length == 0 ? 0 : features[0].length;
    }

    /** Rows {@code order[from..to)} packed into one flat array. */
    float[] rows(int[] order, int from, int to) {
        int w = width();
        float[] out = new float[(to - from) * w];
        for (int i = from; i < to; i++) {
            System.arraycopy(features[order[i]], 0, out, (i - from) * w, w);
        }
        return out;
    }

    /** Labels {@code order[from..to)}. */
    int[] labels(int[] order, int from, int to) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = labels[order[i]];
        }
        return out;
    }
}
