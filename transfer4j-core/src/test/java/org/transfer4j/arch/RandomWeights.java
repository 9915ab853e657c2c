package org.transfer4j.arch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * Random weights for a graph, scaled by fan-in so that activations stay finite through a hundred
 * layers: conv and linear weights normal(0, 1/fan_in), batch-norm near the identity.
 */
public final class RandomWeights {

    private RandomWeights() {
    }

    public static Weights of(Graph g, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> m = new LinkedHashMap<>();
        g.parameters().forEach((name, shape) -> {
            Tensor t = Tensor.zeros(shape);
            float[] v = t.data();
            long fanIn = Tensor.numel(shape) / shape[0];
            for (int i = 0; i < v.length; i++) {
                double z = r.nextGaussian();
                if (name.endsWith("running_var")) {
                    v[i] = 0.5f + r.nextFloat();
                } else if (name.endsWith("running_mean") || name.endsWith("bias")) {
                    v[i] = (float) (0.1 * z);
                } else if (shape.length == 1) {
                    v[i] = (float) (1 + 0.1 * z);  // batch-norm scale
                } else {
                    v[i] = (float) (z / Math.sqrt(fanIn));
                }
            }
            m.put(name, t);
        });
        return new Weights(m);
    }
}
