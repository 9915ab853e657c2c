package org.transfer4j.weights;

import java.nio.ByteBuffer;

/**
 * Element types that weight files store, and their conversion to float32 (the only type a
 * {@link Tensor} holds). Shared by the readers; each maps its own type names onto these.
 */
enum DType {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    int bytes() {
        return bytes;
    }

    /**
     * Converts {@code count} elements starting at element {@code first} of {@code buffer} (whose
     * byte order is already set) to floats.
     */
    float[] toFloats(ByteBuffer buffer, long first, int count) {
        float[] out = new float[count];
        int base = Math.toIntExact(first * bytes);
        for (int i = 0; i < count; i++) {
            int at = base + i * bytes;
            out[i] = switch (this) {
                case F32 -> buffer.getFloat(at);
                case F16 -> halfToFloat(buffer.getShort(at));
                case BF16 -> Float.intBitsToFloat((buffer.getShort(at) & 0xffff) << 16);
                case F64 -> (float) buffer.getDouble(at);
                case I64 -> (float) buffer.getLong(at);
                case I32 -> (float) buffer.getInt(at);
                case I16 -> (float) buffer.getShort(at);
                case I8 -> (float) buffer.get(at);
                case U8, BOOL -> (float) (buffer.get(at) & 0xff);
            };
        }
        return out;
    }

    /** IEEE 754 binary16 to binary32, subnormals, infinities and NaN included. */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
