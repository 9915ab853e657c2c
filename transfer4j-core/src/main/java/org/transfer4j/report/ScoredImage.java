package org.transfer4j.report;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One evaluated image: its file, true class and the model's class probabilities.
 *
 * @param file the image file
 * @param truth the true class id
 * @param probabilities one probability per class, summing to 1
 */
public record ScoredImage(Path file, int truth, float[] probabilities) {

    public ScoredImage {
        Objects.requireNonNull(file, "file");
        if (truth < 0 || truth >= probabilities.length) {
            throw new IllegalArgumentException(file + ": true class " + truth + " is not among "
                    + probabilities.length + " classes");
        }
        probabilities = probabilities.clone();
    }

    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    /** The most probable class (the lowest id on a tie). */
    public int predicted() {
        int best = 0;
        for (int k = 1; k < probabilities.length; k++) {
            if (probabilities[k] > probabilities[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Probability of a class. */
    public float probability(int classId) {
        return probabilities[classId];
    }

    public boolean correct() {
        return predicted() == truth;
    }

    /** Negative log-likelihood of the true class (the training loss of this image). */
    public double loss() {
        return -Math.log(Math.max(probabilities[truth], 1e-12));
    }
}
