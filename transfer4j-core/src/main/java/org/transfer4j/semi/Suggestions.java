package org.transfer4j.semi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.transfer4j.unlabeled.VectorMath;

/**
 * Which unlabeled images would teach the model most if labelled next (active learning): uncertain ones
 * that are unlike each other.
 *
 * <p>Uncertainty is one minus the margin between the two most probable classes (Scheffer et al. 2001);
 * diversity is k-center greedy (Sener and Savarese 2018) on L2-normalised features. Greedily, the next
 * suggestion is the image that maximises {@code (1 − margin) × d}, where d is its cosine distance to the
 * nearest image already suggested (1 before the first), so 20 suggestions are not 20 near-copies: an
 * image identical to a suggestion has d = 0. Ties go to the earlier row. Deterministic, no seed.
 */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * One suggestion.
     *
     * @param row the image's row in the inputs
     * @param predicted the model's most probable class
     * @param probability its probability
     * @param margin top probability minus the second
     * @param distance cosine distance to the nearest earlier suggestion (1 for the first)
     * @param score {@code (1 − margin) × distance}, when it was picked
     */
    public record Suggestion(int row, int predicted, double probability, double margin, double distance, double score) {
    }

    /**
     * The first {@code n} suggestions, in the order picked.
     *
     * @param probabilities the model's class probabilities per image
     * @param features the images' features (same rows)
     * @param n how many (fewer when there are fewer images)
     */
    public static List<Suggestion> rank(float[][] probabilities, float[][] features, int n) {
        if (probabilities.length != features.length) {
            throw new IllegalArgumentException(probabilities.length + " probability rows but " + features.length
                    + " feature rows");
        }
        if (n < 1) {
            throw new IllegalArgumentException("--n must be at least 1, got " + n);
        }
        int count = probabilities.length;
        double[] uncertainty = new double[count];
        double[] margin = new double[count];
        int[] top = new int[count];
        float[][] unit = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] p = probabilities[i];
            int first = PseudoLabelling.argMax(p);
            double second = 0;
            for (int c = 0; c < p.length; c++) {
                if (c != first) {
                    second = Math.max(second, p[c]);
                }
            }
            top[i] = first;
            margin[i] = p[first] - second;
            uncertainty[i] = 1 - margin[i];
            unit[i] = VectorMath.normalised(features[i]);
        }
        double[] nearest = new double[count];
        Arrays.fill(nearest, 1);
        boolean[] picked = new boolean[count];
        List<Suggestion> out = new ArrayList<>();
        for (int s = 0; s < Math.min(n, count); s++) {
            int best = -1;
            for (int i = 0; i < count; i++) {
                if (!picked[i] && (best < 0 || uncertainty[i] * nearest[i] > uncertainty[best] * nearest[best])) {
                    best = i;
                }
            }
            picked[best] = true;
            out.add(new Suggestion(best, top[best], probabilities[best][top[best]], margin[best], nearest[best],
                    uncertainty[best] * nearest[best]));
            for (int i = 0; i < count; i++) {
                if (!picked[i]) {
                    double d = Math.max(0, 1 - VectorMath.dot(unit[i], unit[best]));
                    nearest[i] = Math.min(nearest[i], d);
                }
            }
        }
        return List.copyOf(out);
    }
}
