package org.transfer4j.model;

import java.util.List;

/**
 * A classifier's answer for one image.
 *
 * @param label the most probable class
 * @param probability its probability
 * @param top the k most probable classes, best first
 * @param verdict the unknown rule's verdict ({@link OpenSetRule}); null when the model has no rule or
 *     it was switched off
 */
public record Prediction(String label, double probability, List<Scored> top, Verdict verdict) {

    /** A prediction without an unknown verdict. */
    public Prediction(String label, double probability, List<Scored> top) {
        this(label, probability, top, null);
    }

    /** A class and its probability. */
    public record Scored(String label, int index, double probability) {
    }

    /**
     * Whether the image is none of the classes, and how far it is from them.
     *
     * @param unknown whether {@code score} is above {@code threshold}
     * @param score cosine distance of the image's features to the nearest class centroid
     * @param nearestClass the class of that centroid
     * @param threshold the threshold applied
     */
    public record Verdict(boolean unknown, double score, String nearestClass, double threshold) {
    }

    /** Whether the unknown rule rejected the image (never without a rule). */
    public boolean isUnknown() {
        return verdict != null && verdict.unknown();
    }

    /** Index of the predicted class. */
    public int index() {
        return top.get(0).index();
    }

    /** Class probabilities from logits, computed stably (max subtracted, double sums). */
    public static float[] softmax(float[] logits) {
        return org.transfer4j.train.TrainedHead.softmax(logits);
    }
}
