package org.transfer4j.weights;

/**
 * How a file stored a tensor as 8-bit integers: {@code value = scale · (q − zeroPoint)}. Kept beside the
 * dequantized weights so that an int8 export can use the file's own scales (the network then computes
 * what its authors trained) instead of quantizing the float values again.
 *
 * @param scales one scale for the tensor, or one per output channel (axis 0 in the graph's layout)
 * @param zeroPoints as many zero points as scales
 * @param signed int8 ({@code true}) or uint8 ({@code false}) integers
 */
public record QuantParams(float[] scales, long[] zeroPoints, boolean signed) {

    public QuantParams {
        if (scales.length == 0 || zeroPoints.length != scales.length) {
            throw new IllegalArgumentException(scales.length + " scales and " + zeroPoints.length + " zero points");
        }
        scales = scales.clone();
        zeroPoints = zeroPoints.clone();
    }

    /** True when one scale covers the whole tensor. */
    public boolean perTensor() {
        return scales.length == 1;
    }

    @Override
    public float[] scales() {
        return scales.clone();
    }

    @Override
    public long[] zeroPoints() {
        return zeroPoints.clone();
    }
}
