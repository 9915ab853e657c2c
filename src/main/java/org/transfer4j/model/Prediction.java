package org.transfer4j.model;

import java.util.List;

/**
 * A classifier's answer for one image.
 *
 * @param label the most probable class
 * @param probability its probability
 * @param top the k most probable classes, best first
 */
public record Prediction(String label, double probability, List<Scored> top) {

    /** A class and its probability. */
    public record Scored(String label, int index, double probability) {
    }

    /** Index of the predicted class. */
    public int index() {
        return top.get(0).index();
    }

    /** Class probabilities from logits, computed stably (max subtracted, double sums). */
    public static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }
}
