package org.transfer4j.weights;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One tensor of a TensorFlow Lite model: its name, TFLite shape (NHWC order, weights as stored), element
 * type, quantization and, for constants, the raw bytes of its buffer.
 *
 * @param name the tensor's name in the file
 * @param shape dimensions as stored, e.g. conv weights {@code [O, H, W, I]}
 * @param type TFLite element type, one of the {@code *_TYPE} constants of {@link TfliteTensor}
 * @param data raw little-endian values; empty for activations
 * @param scales quantization scale, one per tensor or one per channel; empty when not quantized
 * @param zeroPoints quantization zero points, as many as scales (or empty: all zero)
 * @param quantizedDimension the axis the per-channel scales run along
 */
public record TfliteTensor(String name, int[] shape, int type, ByteBuffer data, float[] scales,
                           long[] zeroPoints, int quantizedDimension) {

    public static final int FLOAT32 = 0;
    public static final int FLOAT16 = 1;
    public static final int INT32 = 2;
    public static final int UINT8 = 3;
    public static final int INT64 = 4;
    public static final int INT8 = 9;

    /** Whether the tensor carries constant values (weights, biases, shapes, paddings). */
    public boolean isConstant() {
        return data.remaining() > 0;
    }

    /** Shape as {@code long[]}, outermost first. */
    public long[] longShape() {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    /** Element type as a word, for messages. */
    public String typeName() {
        return switch (type) {
            case FLOAT32 -> "float32";
            case FLOAT16 -> "float16";
            case INT32 -> "int32";
            case UINT8 -> "uint8";
            case INT64 -> "int64";
            case INT8 -> "int8";
            default -> "type " + type;
        };
    }

    /** The raw int32 values of a constant int32 tensor (shapes, paddings), not dequantized. */
    public int[] rawInts() {
        if (type != INT32) {
            throw new IllegalStateException(name + " is " + typeName() + ", not int32");
        }
        int[] out = new int[count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.getInt(4 * i);
        }
        return out;
    }

    /**
     * The values as float32 in TFLite layout: float32 and float16 as they are, integers as
     * {@code scale · (q − zero_point)}, per tensor or per channel along {@link #quantizedDimension}.
     *
     * @param source the file, for messages
     * @throws WeightsException when the buffer size, type or quantization does not fit the shape
     */
    public Tensor dequantize(String source) {
        int n = count();
        int width = switch (type) {
            case FLOAT32, INT32 -> 4;
            case FLOAT16 -> 2;
            case UINT8, INT8 -> 1;
            default -> throw new WeightsException(source + ": tensor '" + name + "' has unsupported element "
                    + typeName() + "; only float32, float16, int32, uint8 and int8 weights can be read");
        };
        if (data.remaining() != (long) n * width) {
            throw new WeightsException(source + ": tensor '" + name + "' of shape " + Arrays.toString(shape)
                    + " needs " + (long) n * width + " bytes of " + typeName() + " but its buffer has "
                    + data.remaining() + "; the file is corrupt");
        }
        float[] out = new float[n];
        if (type == FLOAT32) {
            data.asFloatBuffer().get(out);
            return new Tensor(longShape(), out);
        }
        if (type == FLOAT16) {
            for (int i = 0; i < n; i++) {
                out[i] = halfToFloat(data.getShort(2 * i));
            }
            return new Tensor(longShape(), out);
        }
        int[] channelOf = channelIndex(source, n);
        for (int i = 0; i < n; i++) {
            long q = switch (type) {
                case INT32 -> data.getInt(4 * i);
                case UINT8 -> data.get(i) & 0xff;
                default -> data.get(i);
            };
            int c = channelOf == null ? 0 : channelOf[i];
            long zero = zeroPoints.length == 0 ? 0 : zeroPoints[c];
            out[i] = scales[c] * (q - zero);
        }
        return new Tensor(longShape(), out);
    }

    /** For each element, the index of its scale; null when one scale covers the tensor. */
    private int[] channelIndex(String source, int n) {
        if (scales.length == 0) {
            throw new WeightsException(source + ": integer tensor '" + name + "' (" + typeName()
                    + ") has no quantization scale, so its values cannot be turned into weights");
        }
        if (zeroPoints.length != 0 && zeroPoints.length != scales.length) {
            throw new WeightsException(source + ": tensor '" + name + "' has " + scales.length
                    + " scales but " + zeroPoints.length + " zero points; the file is corrupt");
        }
        if (scales.length == 1) {
            return null;
        }
        int axis = quantizedDimension;
        if (axis < 0 || axis >= shape.length || shape[axis] != scales.length) {
            throw new WeightsException(source + ": tensor '" + name + "' of shape " + Arrays.toString(shape)
                    + " has " + scales.length + " scales along dimension " + axis
                    + ", which does not match its shape; the file is corrupt");
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = (i / inner) % shape[axis];
        }
        return index;
    }

    /** IEEE 754 half precision to float (Java 17 has no {@code Float.float16ToFloat}). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private int count() {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalStateException(name + " has a dynamic shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
