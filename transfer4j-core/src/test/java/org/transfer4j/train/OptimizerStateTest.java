package org.transfer4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transfer4j.exec.DjlEngine;

/** The one optimiser against the update rules of torch.optim.Adam / SGD written out by hand. */
class OptimizerStateTest {

    /** Three steps on loss = sum(c · w²): Adam's update, by hand, in doubles. */
    @Test
    void adamFollowsTorchsUpdateRule() {
        double[] c = {0.5, -2.0, 3.0};
        double[] w = {1.0, 2.0, -1.5};
        double[] m = new double[3];
        double[] v = new double[3];
        double lr = 0.1;
        try (NDManager manager = DjlEngine.newManager()) {
            NDArray weight = manager.create(new float[] {1f, 2f, -1.5f});
            weight.setRequiresGradient(true);
            NDArray coefficients = manager.create(new float[] {0.5f, -2f, 3f});
            OptimizerState adam = new OptimizerState("adam", 0f);
            for (int t = 1; t <= 3; t++) {
                try (GradientCollector gc = DjlEngine.get().newGradientCollector()) {
                    gc.backward(weight.square().mul(coefficients).sum());
                }
                adam.step(Map.of("w", weight), name -> lr);
                for (int i = 0; i < 3; i++) {
                    double g = 2 * c[i] * w[i];
                    m[i] = 0.9 * m[i] + 0.1 * g;
                    v[i] = 0.999 * v[i] + 0.001 * g * g;
                    double mHat = m[i] / (1 - Math.pow(0.9, t));
                    double vHat = v[i] / (1 - Math.pow(0.999, t));
                    w[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
                }
                float[] actual = weight.toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertThat((double) actual[i]).as("step %d, w[%d]", t, i).isCloseTo(w[i], within(1e-5));
                }
            }
        }
    }

    /** SGD with momentum 0.9 and decoupled weight decay. */
    @Test
    void sgdFollowsTorchsUpdateRuleWithDecoupledDecay() {
        double[] c = {0.5, -2.0};
        double[] w = {1.0, 2.0};
        double[] b = new double[2];
        double lr = 0.05;
        double decay = 0.1;
        try (NDManager manager = DjlEngine.newManager()) {
            NDArray weight = manager.create(new float[] {1f, 2f});
            weight.setRequiresGradient(true);
            NDArray coefficients = manager.create(new float[] {0.5f, -2f});
            OptimizerState sgd = new OptimizerState("sgd", (float) decay);
            for (int t = 1; t <= 3; t++) {
                try (GradientCollector gc = DjlEngine.get().newGradientCollector()) {
                    gc.backward(weight.square().mul(coefficients).sum());
                }
                sgd.step(Map.of("w", weight), name -> lr);
                for (int i = 0; i < 2; i++) {
                    double g = 2 * c[i] * w[i];
                    w[i] *= 1 - lr * decay;
                    b[i] = t == 1 ? g : 0.9 * b[i] + g;
                    w[i] -= lr * b[i];
                }
                float[] actual = weight.toFloatArray();
                for (int i = 0; i < 2; i++) {
                    assertThat((double) actual[i]).as("step %d, w[%d]", t, i).isCloseTo(w[i], within(1e-5));
                }
            }
        }
    }
}
