package org.transfer4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.Arrays;

/**
 * Cross-entropy on log-probabilities with optional class weights and label smoothing, as torch's
 * {@code CrossEntropyLoss(weight, label_smoothing)}: the target is {@code (1 − ε)·onehot + ε/K}, each
 * example is weighted by its class's weight and the mean divides by the summed weights. Per-example weights
 * (the confidence of a spread or pseudo label, {@link #evaluate(NDList, NDList, NDArray)}) multiply the
 * class weights the same way.
 */
public final class ClassificationLoss extends Loss {

    private final float[] classWeights;
    private final float smoothing;

    /**
     * @param classWeights one weight per class, or null for all 1
     * @param smoothing label smoothing ε in [0, 1)
     */
    public ClassificationLoss(float[] classWeights, float smoothing) {
        super("cross_entropy");
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("--label-smoothing must be in [0, 1), got " + smoothing);
        }
        this.classWeights = classWeights == null ? null : classWeights.clone();
        this.smoothing = smoothing;
    }

    /** Plain cross-entropy. */
    public static ClassificationLoss plain() {
        return new ClassificationLoss(null, 0);
    }

    /**
     * "Balanced" class weights {@code n / (K · n_c)} (scikit-learn's {@code class_weight='balanced'}).
     *
     * @throws IllegalArgumentException when a class has no example
     */
    public static float[] balancedWeights(int[] labels, int numClasses) {
        long[] counts = new long[numClasses];
        for (int y : labels) {
            counts[y]++;
        }
        float[] weights = new float[numClasses];
        for (int c = 0; c < numClasses; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("--class-weights auto: class " + c
                        + " has no training example; counts " + Arrays.toString(counts));
            }
            weights[c] = (float) labels.length / (numClasses * counts[c]);
        }
        return weights;
    }

    /**
     * @param labels one entry: class indices [n]
     * @param predictions one entry: log-probabilities [n, K]
     * @return the scalar mean loss
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return evaluate(labels, predictions, null);
    }

    /**
     * The loss with a weight per example: {@code sum(w_i · c_i · l_i) / sum(w_i · c_i)}, {@code c_i} the
     * class weight (1 without class weights).
     *
     * @param exampleWeights one weight per example [n], or null for all 1
     */
    public NDArray evaluate(NDList labels, NDList predictions, NDArray exampleWeights) {
        NDArray logp = predictions.singletonOrThrow();
        int k = (int) logp.getShape().get(1);
        NDArray onehot = labels.singletonOrThrow().toType(ai.djl.ndarray.types.DataType.INT32, false).oneHot(k)
                .toType(logp.getDataType(), false);
        NDArray target = smoothing > 0 ? onehot.mul(1 - smoothing).add(smoothing / k) : onehot;
        NDArray perExample = target.mul(logp).sum(new int[] {1}).neg();
        if (classWeights == null && exampleWeights == null) {
            return perExample.mean();
        }
        NDArray w = classWeights == null ? exampleWeights
                : onehot.mul(logp.getManager().create(classWeights)).sum(new int[] {1});
        if (classWeights != null && exampleWeights != null) {
            w = w.mul(exampleWeights);
        }
        return perExample.mul(w).sum().div(w.sum());
    }
}
