package org.transfer4j.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One table of a FlatBuffers file, read in place from a little-endian buffer: the few accessors the
 * TensorFlow Lite schema needs (scalars, strings, vectors of scalars, tables and vectors of tables).
 * Every offset is checked against the buffer, so a truncated or corrupt file fails with a
 * {@link WeightsException} naming the file instead of reading garbage.
 */
final class FlatTable {

    private final ByteBuffer buf;
    private final int pos;
    private final int vtable;
    private final int vtableSize;
    private final String source;

    private FlatTable(ByteBuffer buf, int pos, String source) {
        this.buf = buf;
        this.pos = pos;
        this.source = source;
        check(pos, 4, "table");
        this.vtable = pos - buf.getInt(pos);
        check(vtable, 4, "vtable");
        this.vtableSize = Short.toUnsignedInt(buf.getShort(vtable));
        check(vtable, vtableSize, "vtable");
    }

    /** The root table of a FlatBuffers file (offset at byte 0). */
    static FlatTable root(ByteBuffer file, String source) {
        ByteBuffer b = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() < 8) {
            throw new WeightsException(source + ": not a FlatBuffers file (only " + b.limit() + " bytes)");
        }
        return new FlatTable(b, b.getInt(0), source);
    }

    /** Position of a field inside the table, or 0 when the field is absent (its default applies). */
    private int field(int id) {
        int entry = 4 + 2 * id;
        if (entry + 2 > vtableSize) {
            return 0;
        }
        int offset = Short.toUnsignedInt(buf.getShort(vtable + entry));
        return offset == 0 ? 0 : pos + offset;
    }

    int int32(int id, int defaultValue) {
        int p = field(id);
        if (p == 0) {
            return defaultValue;
        }
        check(p, 4, "int field " + id);
        return buf.getInt(p);
    }

    long int64(int id, long defaultValue) {
        int p = field(id);
        if (p == 0) {
            return defaultValue;
        }
        check(p, 8, "long field " + id);
        return buf.getLong(p);
    }

    int int8(int id, int defaultValue) {
        int p = field(id);
        if (p == 0) {
            return defaultValue;
        }
        check(p, 1, "byte field " + id);
        return buf.get(p);
    }

    int uint8(int id, int defaultValue) {
        return int8(id, defaultValue) & 0xff;
    }

    /** A string field, or null when absent. */
    String string(int id) {
        int start = vectorStart(id, 1);
        if (start < 0) {
            return null;
        }
        byte[] bytes = new byte[buf.getInt(start - 4)];
        buf.get(start, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A sub-table, or null when absent. */
    FlatTable table(int id) {
        int p = field(id);
        return p == 0 ? null : new FlatTable(buf, indirect(p), source);
    }

    /** Number of elements of a vector field (0 when absent). */
    int vectorLength(int id) {
        int p = field(id);
        return p == 0 ? 0 : buf.getInt(checkedVector(p, 0));
    }

    /** Element {@code i} of a vector of tables. */
    FlatTable tableAt(int id, int i) {
        int start = vectorStart(id, 4);
        int length = start < 0 ? 0 : buf.getInt(start - 4);
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("element " + i + " of a " + length + "-element vector");
        }
        int p = start + 4 * i;
        return new FlatTable(buf, indirect(p), source);
    }

    int[] ints(int id) {
        int start = vectorStart(id, 4);
        int[] out = new int[start < 0 ? 0 : buf.getInt(start - 4)];
        for (int i = 0; i < out.length; i++) {
            out[i] = buf.getInt(start + 4 * i);
        }
        return out;
    }

    long[] longs(int id) {
        int start = vectorStart(id, 8);
        long[] out = new long[start < 0 ? 0 : buf.getInt(start - 4)];
        for (int i = 0; i < out.length; i++) {
            out[i] = buf.getLong(start + 8 * i);
        }
        return out;
    }

    float[] floats(int id) {
        int start = vectorStart(id, 4);
        float[] out = new float[start < 0 ? 0 : buf.getInt(start - 4)];
        for (int i = 0; i < out.length; i++) {
            out[i] = buf.getFloat(start + 4 * i);
        }
        return out;
    }

    /** A vector of bytes as a little-endian view (not a copy), or an empty buffer when absent. */
    ByteBuffer bytes(int id) {
        int start = vectorStart(id, 1);
        if (start < 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        return buf.slice(start, buf.getInt(start - 4)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Position of a vector's first element after checking the whole vector fits; -1 when absent. */
    private int vectorStart(int id, int elementSize) {
        int p = field(id);
        return p == 0 ? -1 : checkedVector(p, elementSize) + 4;
    }

    private int checkedVector(int fieldPos, int elementSize) {
        int v = indirect(fieldPos);
        check(v, 4, "vector length");
        long length = Integer.toUnsignedLong(buf.getInt(v));
        check(v + 4, length * elementSize, "vector");
        return v;
    }

    private int indirect(int p) {
        check(p, 4, "offset");
        long target = p + Integer.toUnsignedLong(buf.getInt(p));
        check(target, 0, "offset target");
        return (int) target;
    }

    private void check(long at, long size, String what) {
        if (at < 0 || size < 0 || at + size > buf.limit()) {
            throw new WeightsException(source + ": truncated or corrupt FlatBuffers data: " + what
                    + " at byte " + at + " (+" + size + ") lies outside the " + buf.limit()
                    + "-byte file; re-download the file");
        }
    }
}
