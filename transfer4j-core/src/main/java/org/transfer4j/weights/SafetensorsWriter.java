package org.transfer4j.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes named float32 tensors in the safetensors format (8-byte header length, JSON header, data).
 * The same tensors always give the same bytes.
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {
    }

    public static void write(Map<String, Tensor> tensors, OutputStream out) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long size = 4L * e.getValue().data().length;
            Map<String, Object> entry = new LinkedHashMap<>(); // Map.of's order varies between JVMs
            entry.put("dtype", "F32");
            entry.put("shape", e.getValue().shape());
            entry.put("data_offsets", List.of(offset, offset + size));
            header.put(e.getKey(), entry);
            offset += size;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        java.util.Arrays.fill(headerBytes, (byte) ' ');
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(headerBytes);
        for (Tensor t : tensors.values()) {
            ByteBuffer buf = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(t.data());
            out.write(buf.array());
        }
    }
}
