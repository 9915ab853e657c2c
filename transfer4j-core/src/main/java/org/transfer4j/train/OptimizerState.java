package org.transfer4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.transfer4j.weights.Tensor;

/**
 * The one optimiser of transfer4j: Adam, or SGD with momentum 0.9, both with decoupled weight decay
 * (each step first shrinks a weight by {@code 1 − rate·decay}, as torch's AdamW; SGD the same way), the
 * same in every stage. Its moments are kept by parameter name and can be saved and restored, so that a
 * resumed run continues exactly where a checkpoint left off.
 */
public final class OptimizerState {

    /** The optimisers {@code --optimizer} accepts. */
    public static final String KINDS = "adam, sgd";

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    private static final float MOMENTUM = 0.9f;

    private final boolean sgd;
    private final float weightDecay;
    private final Map<String, NDArray> mean = new LinkedHashMap<>();
    private final Map<String, NDArray> variance = new LinkedHashMap<>();
    private long steps;

    /**
     * @param kind {@code adam} or {@code sgd}
     * @param weightDecay decoupled weight decay, 0 for none
     */
    public OptimizerState(String kind, float weightDecay) {
        if (!kind.equals("adam") && !kind.equals("sgd")) {
            throw new IllegalArgumentException("--optimizer must be one of " + KINDS + ", got " + kind);
        }
        this.sgd = kind.equals("sgd");
        this.weightDecay = weightDecay;
    }

    /** Optimiser steps taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * One step on every parameter with its gradient, which is zeroed afterwards. Call outside the
     * gradient collector.
     *
     * @param parameters trainable parameters by name
     * @param learningRate rate for each parameter name (schedule and backbone multiplier applied)
     */
    public void step(Map<String, NDArray> parameters, ToDoubleFunction<String> learningRate) {
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
            String name = p.getKey();
            NDArray weight = p.getValue();
            float lr = (float) learningRate.applyAsDouble(name);
            NDArray m = mean.computeIfAbsent(name, n -> weight.zerosLike());
            try (NDArray g = weight.getGradient()) {
                if (weightDecay > 0) {
                    weight.muli(1 - lr * weightDecay);
                }
                if (sgd) {
                    // torch.optim.SGD: the buffer starts at the first gradient, then b = 0.9·b + g
                    if (steps == 1) {
                        m.addi(g);
                    } else {
                        m.muli(MOMENTUM).addi(g);
                    }
                    try (NDArray update = m.mul(lr)) {
                        weight.subi(update);
                    }
                    g.subi(g);
                    continue;
                }
                NDArray v = variance.computeIfAbsent(name, n -> weight.zerosLike());
                m.muli(BETA1);
                try (NDArray t = g.mul(1 - BETA1)) {
                    m.addi(t);
                }
                v.muli(BETA2);
                try (NDArray t = g.square()) {
                    t.muli(1 - BETA2);
                    v.addi(t);
                }
                try (NDArray corrected = v.div(correction2); NDArray denominator = corrected.sqrt()) {
                    denominator.addi(EPSILON);
                    try (NDArray update = m.div(denominator)) {
                        update.muli(lr / correction1);
                        weight.subi(update);
                    }
                }
                g.subi(g);
            }
        }
    }

    /** Moments and step count as tensors ({@code adam.m.NAME}, {@code adam.v.NAME}, {@code adam.steps}). */
    public Map<String, Tensor> save() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        mean.forEach((n, a) -> out.put("adam.m." + n, new Tensor(a.getShape().getShape(), a.toFloatArray())));
        variance.forEach((n, a) -> out.put("adam.v." + n, new Tensor(a.getShape().getShape(), a.toFloatArray())));
        out.put("adam.steps", new Tensor(new long[] {2}, new float[] {(float) (steps >>> 24), (float) (steps & 0xFFFFFF)}));
        return out;
    }

    /** Restores what {@link #save} wrote, creating the moments next to the given parameters. */
    public void restore(Map<String, Tensor> saved, Map<String, NDArray> parameters) {
        Tensor s = saved.get("adam.steps");
        if (s == null) {
            throw new IllegalArgumentException("checkpoint has no optimiser state (adam.steps missing)");
        }
        steps = ((long) s.data()[0] << 24) | (long) s.data()[1];
        for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
            Tensor m = saved.get("adam.m." + p.getKey());
            Tensor v = saved.get("adam.v." + p.getKey());
            if (m != null) {
                mean.put(p.getKey(), p.getValue().getManager().create(m.data(), new Shape(m.shape())));
            }
            if (v != null) {
                variance.put(p.getKey(), p.getValue().getManager().create(v.data(), new Shape(v.shape())));
            }
        }
    }
}
