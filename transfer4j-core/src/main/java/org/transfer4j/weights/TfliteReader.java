package org.transfer4j.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a TensorFlow Lite flatbuffer ({@code .tflite}) into a {@link TfliteModel}: the tensors, with
 * their quantization and constant bytes, and the operators of the main subgraph in execution order.
 * Only the parts of the schema that weight import needs are read (Model, SubGraph, Tensor,
 * QuantizationParameters, Buffer, Operator, OperatorCode and the convolution options).
 */
public final class TfliteReader {

    /** The FlatBuffers file identifier of TFLite models, at byte 4. */
    static final String IDENTIFIER = "TFL3";
    private static final int CUSTOM = 32;
    private static final int DEPRECATED_CODE_LIMIT = 127;

    private TfliteReader() {
    }

    /**
     * Reads a file.
     *
     * @throws WeightsException naming the file when it is missing, not TFLite, truncated or corrupt
     */
    public static TfliteModel read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new WeightsException(file + ": no such file; put the .tflite weights there", e);
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return read(ByteBuffer.wrap(bytes), file.toString());
    }

    /**
     * Reads a model held in memory.
     *
     * @param source what to call it in messages (a file name)
     */
    public static TfliteModel read(ByteBuffer bytes, String source) {
        ByteBuffer file = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (file.limit() < 8) {
            throw new WeightsException(source + ": not a TensorFlow Lite model: only " + file.limit() + " bytes");
        }
        byte[] id = new byte[4];
        file.get(4, id);
        String identifier = new String(id, StandardCharsets.ISO_8859_1);
        if (!IDENTIFIER.equals(identifier)) {
            throw new WeightsException(source + ": not a TensorFlow Lite model: file identifier '"
                    + printable(identifier) + "' at byte 4, expected '" + IDENTIFIER + "'");
        }
        FlatTable model = FlatTable.root(file, source);
        if (model.vectorLength(2) == 0) {
            throw new WeightsException(source + ": TensorFlow Lite model without a subgraph");
        }
        int[] codes = operatorCodes(model);
        List<ByteBuffer> buffers = buffers(model, file, source);
        FlatTable subgraph = model.tableAt(2, 0);

        List<TfliteTensor> tensors = new ArrayList<>();
        for (int i = 0; i < subgraph.vectorLength(0); i++) {
            tensors.add(tensor(subgraph.tableAt(0, i), buffers, source, i));
        }
        List<TfliteOperator> operators = new ArrayList<>();
        for (int i = 0; i < subgraph.vectorLength(3); i++) {
            operators.add(operator(subgraph.tableAt(3, i), codes, tensors.size(), source, i));
        }
        int[] inputs = checkedIndices(subgraph.ints(1), tensors.size(), source, "subgraph input");
        int[] outputs = checkedIndices(subgraph.ints(2), tensors.size(), source, "subgraph output");
        return new TfliteModel(source, model.int32(0, 0), tensors, operators, inputs, outputs);
    }

    /** Builtin code of each operator code; -1 for custom operators. */
    private static int[] operatorCodes(FlatTable model) {
        int[] codes = new int[model.vectorLength(1)];
        for (int i = 0; i < codes.length; i++) {
            FlatTable c = model.tableAt(1, i);
            int deprecated = c.int8(0, 0);
            int code = Math.max(deprecated, c.int32(3, 0));
            if (deprecated == DEPRECATED_CODE_LIMIT) {
                code = c.int32(3, 0);
            }
            codes[i] = code == CUSTOM ? -1 : code;
        }
        return codes;
    }

    private static List<ByteBuffer> buffers(FlatTable model, ByteBuffer file, String source) {
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < model.vectorLength(4); i++) {
            FlatTable b = model.tableAt(4, i);
            long offset = b.int64(1, 0);
            if (offset > 1) {
                // Models over 2 GB keep buffers after the flatbuffer, at an absolute offset.
                long size = b.int64(2, 0);
                if (size < 0 || offset + size > file.limit()) {
                    throw new WeightsException(source + ": buffer " + i + " at byte " + offset + " (+" + size
                            + ") lies outside the " + file.limit() + "-byte file; the file is truncated");
                }
                buffers.add(file.slice((int) offset, (int) size).order(ByteOrder.LITTLE_ENDIAN));
            } else {
                buffers.add(b.bytes(0));
            }
        }
        return buffers;
    }

    private static TfliteTensor tensor(FlatTable t, List<ByteBuffer> buffers, String source, int index) {
        String name = t.string(3);
        int buffer = t.int32(2, 0);
        if (buffer < 0 || (buffer >= buffers.size() && buffer != 0)) {
            throw new WeightsException(source + ": tensor " + index + " ('" + name + "') refers to buffer "
                    + buffer + " but the file has " + buffers.size() + "; the file is corrupt");
        }
        ByteBuffer data = buffer < buffers.size() ? buffers.get(buffer) : ByteBuffer.allocate(0);
        FlatTable q = t.table(4);
        float[] scales = q == null ? new float[0] : q.floats(2);
        long[] zeroPoints = q == null ? new long[0] : q.longs(3);
        int axis = q == null ? 0 : q.int32(6, 0);
        return new TfliteTensor(name == null ? "tensor " + index : name, t.ints(0), t.int8(1, 0),
                data.order(ByteOrder.LITTLE_ENDIAN), scales, zeroPoints, axis);
    }

    private static TfliteOperator operator(FlatTable op, int[] codes, int tensorCount, String source,
                                           int index) {
        int opcodeIndex = op.int32(0, 0);
        if (opcodeIndex < 0 || opcodeIndex >= codes.length) {
            throw new WeightsException(source + ": operator " + index + " uses operator code " + opcodeIndex
                    + " but the file defines " + codes.length + "; the file is corrupt");
        }
        int code = codes[opcodeIndex];
        String what = "operator " + index;
        int[] inputs = checkedIndices(op.ints(1), tensorCount, source, what + " input");
        int[] outputs = checkedIndices(op.ints(2), tensorCount, source, what + " output");
        FlatTable options = op.table(4);
        int padding = -1;
        int strideH = 1;
        int strideW = 1;
        int activation = TfliteOperator.NONE;
        if (options != null && (code == TfliteOperator.CONV_2D || code == TfliteOperator.DEPTHWISE_CONV_2D)) {
            // Conv2DOptions and DepthwiseConv2DOptions: padding, stride_w, stride_h, ...
            padding = options.int8(0, TfliteOperator.SAME);
            strideW = options.int32(1, 0);
            strideH = options.int32(2, 0);
            activation = options.int8(code == TfliteOperator.CONV_2D ? 3 : 4, TfliteOperator.NONE);
        } else if (options != null && code == TfliteOperator.FULLY_CONNECTED) {
            activation = options.int8(0, TfliteOperator.NONE);
        }
        return new TfliteOperator(index, code, inputs, outputs, padding, strideH, strideW, activation);
    }

    private static int[] checkedIndices(int[] indices, int tensorCount, String source, String what) {
        for (int i : indices) {
            if (i < -1 || i >= tensorCount) {
                throw new WeightsException(source + ": " + what + " refers to tensor " + i + " but the subgraph has "
                        + tensorCount + " tensors; the file is corrupt");
            }
        }
        return indices;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }
}
