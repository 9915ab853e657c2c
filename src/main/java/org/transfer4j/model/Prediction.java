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
}
