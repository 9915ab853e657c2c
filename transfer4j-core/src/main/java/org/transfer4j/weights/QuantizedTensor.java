package org.transfer4j.weights;

import java.util.Arrays;

/**
 * An int8 tensor with its affine quantization, as a quantized PyTorch model stores a weight:
 * {@code w = scale * (q - zero_point)}, with one scale and zero point for the whole tensor or one per
 * channel along {@code axis}. Kept beside the dequantized floats for int8 executors.
 *
 * @param shape dimensions, outermost first
 * @param values the int8 values, row-major
 * @param scales one scale per tensor, or one per channel of {@code axis}
 * @param zeroPoints as many zero points as scales
 * @param axis the channel axis when per channel, -1 when per tensor
 */
public record QuantizedTensor(long[] shape, byte[] values, double[] scales, long[] zeroPoints, int axis) {

    public QuantizedTensor {
        if (Tensor.numel(shape) != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + Tensor.numel(shape)
                    + " values, got " + values.length);
        }
        if (scales.length != zeroPoints.length) {
            throw new IllegalArgumentException(scales.length + " scales but " + zeroPoints.length + " zero points");
        }
        int expected = axis < 0 ? 1 : (int) shape[axis];
        if (scales.length != expected) {
            throw new IllegalArgumentException(scales.length + " scales for " + (axis < 0 ? "a per-tensor"
                    : "axis " + axis + " of " + Arrays.toString(shape)) + " quantization, expected " + expected);
        }
    }

    /** Whether each channel of {@link #axis()} has its own scale and zero point. */
    public boolean perChannel() {
        return axis >= 0;
    }

    /**
     * The float values, computed as PyTorch's {@code dequantize()} does: {@code (q - zero_point)} in
     * float32 times the float64 scale, rounded to float32.
     */
    public Tensor dequantize() {
        float[] out = new float[values.length];
        long inner = 1;
        for (int d = axis + 1; axis >= 0 && d < shape.length; d++) {
            inner *= shape[d];
        }
        for (int i = 0; i < out.length; i++) {
            int c = axis < 0 ? 0 : (int) ((i / inner) % shape[axis]);
            out[i] = (float) (((float) values[i] - zeroPoints[c]) * scales[c]);
        }
        return new Tensor(shape.clone(), out);
    }
}
