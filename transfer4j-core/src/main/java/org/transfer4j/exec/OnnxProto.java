package org.transfer4j.exec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A protobuf message under construction, kept as a tree and serialised once into an array of the
 * exact size: a 500 MB VGG model is copied once, not once per nesting level.
 */
final class OnnxProto {
    private final List<Object[]> fields = new ArrayList<>();
    private int size = -1;

    OnnxProto int64(int field, long value) {
        fields.add(new Object[] {field, value});
        return this;
    }

    OnnxProto float32(int field, float value) {
        fields.add(new Object[] {field, value});
        return this;
    }

    OnnxProto string(int field, String value) {
        fields.add(new Object[] {field, value});
        return this;
    }

    /** Little-endian float32 values as one bytes field (a tensor's raw_data). */
    OnnxProto rawFloats(int field, float[] values) {
        fields.add(new Object[] {field, values});
        return this;
    }

    /** Raw bytes as one bytes field (an integer tensor's raw_data). */
    OnnxProto rawBytes(int field, byte[] values) {
        fields.add(new Object[] {field, values});
        return this;
    }

    OnnxProto message(int field, OnnxProto child) {
        fields.add(new Object[] {field, child});
        return this;
    }

    int size() {
        if (size < 0) {
            long n = 0;
            for (Object[] f : fields) {
                int field = (Integer) f[0];
                Object v = f[1];
                if (v instanceof Long l) {
                    n += CodedOutputStream.computeInt64Size(field, l);
                } else if (v instanceof Float x) {
                    n += CodedOutputStream.computeFloatSize(field, x);
                } else if (v instanceof String str) {
                    n += CodedOutputStream.computeStringSize(field, str);
                } else if (v instanceof float[] a) {
                    n += CodedOutputStream.computeTagSize(field) + lengthDelimited(4L * a.length);
                } else if (v instanceof byte[] b) {
                    n += CodedOutputStream.computeTagSize(field) + lengthDelimited(b.length);
                } else {
                    n += CodedOutputStream.computeTagSize(field) + lengthDelimited(((OnnxProto) v).size());
                }
            }
            if (n > Integer.MAX_VALUE) {
                throw new IllegalStateException("ONNX protobuf over 2 GB; external data is not supported");
            }
            size = (int) n;
        }
        return size;
    }

    private static long lengthDelimited(long length) {
        return CodedOutputStream.computeUInt32SizeNoTag((int) length) + length;
    }

    void writeTo(CodedOutputStream out) throws IOException {
        for (Object[] f : fields) {
            int field = (Integer) f[0];
            Object v = f[1];
            if (v instanceof Long l) {
                out.writeInt64(field, l);
            } else if (v instanceof Float x) {
                out.writeFloat(field, x);
            } else if (v instanceof String str) {
                out.writeString(field, str);
            } else if (v instanceof float[] a) {
                out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(4 * a.length);
                for (float x : a) {
                    out.writeFixed32NoTag(Float.floatToRawIntBits(x));
                }
            } else if (v instanceof byte[] b) {
                out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(b.length);
                out.writeRawBytes(b);
            } else {
                OnnxProto child = (OnnxProto) v;
                out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(child.size());
                child.writeTo(out);
            }
        }
    }

    byte[] bytes() {
        byte[] array = new byte[size()];
        CodedOutputStream out = CodedOutputStream.newInstance(array);
        try {
            writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return array;
    }
}
