package org.transfer4j.weights;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major (C) order: the unit in which weights move between readers,
 * architectures and executors. Integer and half-precision sources are converted to float on read.
 *
 * @param shape dimensions, outermost first
 * @param data values, {@code product(shape)} of them
 */
public record Tensor(long[] shape, float[] data) {

    public Tensor {
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    /** Number of elements a tensor of this shape holds. */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** A zero-filled tensor of the given shape. */
    public static Tensor zeros(long... shape) {
        return new Tensor(shape.clone(), new float[Math.toIntExact(numel(shape))]);
    }

    /** The same values viewed with another shape of equal size. */
    public Tensor reshape(long... newShape) {
        return new Tensor(newShape.clone(), data);
    }

    /** Shape as text, e.g. {@code [64, 3, 7, 7]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }
}
