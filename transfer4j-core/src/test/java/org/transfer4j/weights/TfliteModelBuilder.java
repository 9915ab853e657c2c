package org.transfer4j.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes small TensorFlow Lite files for tests, field by field after the TFLite schema, so the reader
 * and the import can be tested on known values without real weights. Objects are laid out front to
 * back (every offset points forward), which FlatBuffers allows.
 */
final class TfliteModelBuilder {

    private final List<Table> buffers = new ArrayList<>();
    private final List<Table> tensors = new ArrayList<>();
    private final List<Table> operators = new ArrayList<>();
    private final List<Table> codes = new ArrayList<>();
    private final List<Integer> codeValues = new ArrayList<>();

    TfliteModelBuilder() {
        buffers.add(new Table());  // buffer 0: the empty sentinel
    }

    /** Adds a tensor; {@code data} null for an activation. Returns its index. */
    int tensor(String name, int[] shape, int type, byte[] data, float[] scales, long[] zeroPoints, int axis) {
        Table t = new Table().put(0, new IntVec(shape)).put(1, (byte) type).put(3, new Str(name));
        if (data != null) {
            buffers.add(new Table().put(0, new ByteVec(data)));
            t.put(2, buffers.size() - 1);
        }
        if (scales != null) {
            t.put(4, new Table().put(2, new FloatVec(scales)).put(3, new LongVec(zeroPoints)).put(6, axis));
        }
        tensors.add(t);
        return tensors.size() - 1;
    }

    /** Adds a CONV_2D or DEPTHWISE_CONV_2D with SAME padding and the given stride and activation. */
    void conv(int code, int[] inputs, int output, int stride, int activation) {
        Table options = new Table().put(0, (byte) TfliteOperator.SAME).put(1, stride).put(2, stride)
                .put(code == TfliteOperator.CONV_2D ? 3 : 4, (byte) activation);
        operator(code, inputs, new int[] {output}, options);
    }

    /** Adds an operator with optional builtin options. */
    void operator(int code, int[] inputs, int[] outputs, Table options) {
        int index = codeValues.indexOf(code);
        if (index < 0) {
            codeValues.add(code);
            codes.add(new Table().put(0, (byte) Math.min(code, 127)).put(3, code));
            index = codes.size() - 1;
        }
        Table op = new Table().put(0, index).put(1, new IntVec(inputs)).put(2, new IntVec(outputs));
        if (options != null) {
            op.put(4, options);
        }
        operators.add(op);
    }

    /** The file's bytes, with the given subgraph inputs and outputs. */
    byte[] build(int[] inputs, int[] outputs) {
        Table subgraph = new Table().put(0, new TableVec(tensors)).put(1, new IntVec(inputs))
                .put(2, new IntVec(outputs)).put(3, new TableVec(operators));
        Table model = new Table().put(0, 3).put(1, new TableVec(codes))
                .put(2, new TableVec(List.of(subgraph))).put(4, new TableVec(buffers));
        Writer w = new Writer();
        w.buf.putInt(0);
        w.buf.put("TFL3".getBytes(StandardCharsets.US_ASCII));
        int root = w.write(model);
        w.buf.putInt(0, root);
        byte[] out = new byte[w.buf.position()];
        w.buf.get(0, out);
        return out;
    }

    static byte[] le(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    static byte[] le(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return b.array();
    }

    /** A FlatBuffers table: field id to Integer (int32), Byte (int8), or a nested object. */
    static final class Table {
        final Map<Integer, Object> fields = new TreeMap<>();

        Table put(int id, Object value) {
            fields.put(id, value);
            return this;
        }
    }

    record IntVec(int[] values) { }

    record LongVec(long[] values) { }

    record FloatVec(float[] values) { }

    record ByteVec(byte[] values) { }

    record Str(String value) { }

    record TableVec(List<Table> tables) { }

    private static final class Writer {
        final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

        /** Writes an object at the current position and returns that position. */
        int write(Object o) {
            int start = buf.position();
            if (o instanceof Table t) {
                return writeTable(t);
            } else if (o instanceof IntVec v) {
                buf.putInt(v.values().length);
                for (int x : v.values()) {
                    buf.putInt(x);
                }
            } else if (o instanceof LongVec v) {
                buf.putInt(v.values().length);
                for (long x : v.values()) {
                    buf.putLong(x);
                }
            } else if (o instanceof FloatVec v) {
                buf.putInt(v.values().length);
                for (float x : v.values()) {
                    buf.putFloat(x);
                }
            } else if (o instanceof ByteVec v) {
                buf.putInt(v.values().length).put(v.values());
            } else if (o instanceof Str s) {
                byte[] b = s.value().getBytes(StandardCharsets.UTF_8);
                buf.putInt(b.length).put(b).put((byte) 0);
            } else if (o instanceof TableVec v) {
                buf.putInt(v.tables().size());
                int slots = buf.position();
                buf.position(slots + 4 * v.tables().size());
                for (int i = 0; i < v.tables().size(); i++) {
                    int at = write(v.tables().get(i));
                    buf.putInt(slots + 4 * i, at - (slots + 4 * i));
                }
            } else {
                throw new IllegalArgumentException("cannot write " + o);
            }
            return start;
        }

        private int writeTable(Table t) {
            int maxId = t.fields.isEmpty() ? -1 : ((TreeMap<Integer, Object>) t.fields).lastKey();
            int vtable = buf.position();
            int vtableSize = 4 + 2 * (maxId + 1);
            buf.position(vtable + vtableSize);
            int table = buf.position();
            buf.putInt(table - vtable);
            List<int[]> refs = new ArrayList<>();
            List<Object> children = new ArrayList<>();
            int[] offsets = new int[maxId + 1];
            for (Map.Entry<Integer, Object> f : t.fields.entrySet()) {
                offsets[f.getKey()] = buf.position() - table;
                Object v = f.getValue();
                if (v instanceof Integer i) {
                    buf.putInt(i);
                } else if (v instanceof Byte b) {
                    buf.put(b);
                } else {
                    refs.add(new int[] {buf.position()});
                    children.add(v);
                    buf.putInt(0);
                }
            }
            int tableSize = buf.position() - table;
            buf.putShort(vtable, (short) vtableSize).putShort(vtable + 2, (short) tableSize);
            for (int i = 0; i <= maxId; i++) {
                buf.putShort(vtable + 4 + 2 * i, (short) offsets[i]);
            }
            for (int i = 0; i < refs.size(); i++) {
                int at = write(children.get(i));
                buf.putInt(refs.get(i)[0], at - refs.get(i)[0]);
            }
            return table;
        }
    }
}
