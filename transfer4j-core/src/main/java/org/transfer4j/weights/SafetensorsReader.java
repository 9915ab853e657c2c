package org.transfer4j.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .safetensors} file: an 8-byte little-endian header length, a JSON header
 * ({@code name -> {dtype, shape, data_offsets}}), then the raw little-endian data. Names are kept
 * as stored; tensors come in data order; F32, F16, BF16, F64 and integer types become float32.
 */
public final class SafetensorsReader {

    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final Map<String, DType> DTYPES = Map.of(
            "F32", DType.F32, "F16", DType.F16, "BF16", DType.BF16, "F64", DType.F64, "I64", DType.I64,
            "I32", DType.I32, "I16", DType.I16, "I8", DType.I8, "U8", DType.U8, "BOOL", DType.BOOL);

    private SafetensorsReader() {
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    }

    /**
     * Reads every tensor of the file.
     *
     * @throws WeightsException when the file is missing, truncated, or its header is not valid
     *     safetensors (unknown dtype, sizes that do not match the shape or the file)
     */
    public static Weights read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer lengthBytes = readFully(channel, 0, 8, file);
            long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
                throw bad(file, "header length " + headerLength + " does not fit a file of " + size + " bytes");
            }
            JsonNode header;
            try {
                header = new ObjectMapper().readTree(readFully(channel, 8, (int) headerLength, file).array());
            } catch (IOException e) {
                throw bad(file, "header is not JSON (" + PthReader.oneLine(e) + ")");
            }
            long dataStart = 8 + headerLength;
            List<Entry> entries = entries(header, size - dataStart, file);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                int count = Math.toIntExact(Tensor.numel(e.shape()));
                ByteBuffer data = readFully(channel, dataStart + e.begin(), Math.toIntExact(e.end() - e.begin()), file);
                tensors.put(e.name(), new Tensor(e.shape(), e.dtype().toFloats(data.order(ByteOrder.LITTLE_ENDIAN), 0, count)));
            }
            return new Weights(tensors);
        } catch (NoSuchFileException e) {
            throw new WeightsException("no weights file at " + file, e);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + PthReader.oneLine(e), e);
        }
    }

    private static List<Entry> entries(JsonNode header, long dataBytes, Path file) {
        if (!header.isObject()) {
            throw bad(file, "header is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode info = field.getValue();
            String name = field.getKey();
            DType dtype = DTYPES.get(info.path("dtype").asText());
            JsonNode shapeNode = info.path("shape");
            JsonNode offsets = info.path("data_offsets");
            if (dtype == null || !shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw bad(file, "tensor " + name + " has dtype '" + info.path("dtype").asText()
                        + "', shape " + shapeNode + ", data_offsets " + offsets + "; supported dtypes: " + DTYPES.keySet());
            }
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw bad(file, "tensor " + name + " has shape " + shapeNode);
                }
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            long needed = Tensor.numel(shape) * dtype.bytes();
            if (begin < 0 || end - begin != needed || end > dataBytes) {
                throw bad(file, "tensor " + name + " claims bytes [" + begin + ", " + end + ") but "
                        + info.path("dtype").asText() + " " + shapeNode + " needs " + needed
                        + " and the data section holds " + dataBytes);
            }
            entries.add(new Entry(name, dtype, shape, begin, end));
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        return entries;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw bad(file, "file ends at byte " + (position + buffer.position()) + ", expected "
                        + (position + length) + "; it may be truncated");
            }
        }
        return buffer;
    }

    private static WeightsException bad(Path file, String what) {
        return new WeightsException(file + " is not a valid safetensors file: " + what);
    }
}
