package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.transfer4j.weights.ZipFixtures.failureOf;
import static org.transfer4j.weights.ZipFixtures.zip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzReaderTest {

    @TempDir
    Path tmp;

    /** A version-1 .npy: magic, header padded to 64 bytes, then {@code data}. */
    private static byte[] npy(String descr, boolean fortran, String shape, byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + shape + ", }";
        header = header + " ".repeat(63 - (10 + header.length()) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    private static byte[] doubles(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    @Test
    void readsArraysInArchiveOrder() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("z.npy", npy("<f8", false, "(2, 2)", doubles(1, 2, 3, 4)));
        entries.put("a.npy", npy("<f8", false, "()", doubles(0.5)));
        Weights w = NpzReader.read(zip(tmp.resolve("w.npz"), entries));
        assertThat(w.asMap().keySet()).containsExactly("z", "a");
        assertThat(w.get("z").shape()).containsExactly(2, 2);
        assertThat(w.get("z").data()).containsExactly(1, 2, 3, 4);
        assertThat(w.get("a").shape()).isEmpty();
        assertThat(w.get("a").data()).containsExactly(0.5f);
    }

    @Test
    void rejectsFortranOrderUnknownTypesShortDataAndTruncation() throws IOException {
        Path fortran = zip(tmp.resolve("f.npz"), Map.of("w.npy", npy("<f8", true, "(2, 2)", doubles(1, 2, 3, 4))));
        assertThat(failureOf(() -> NpzReader.read(fortran), fortran)).contains("Fortran order");

        Path complex = zip(tmp.resolve("c.npz"), Map.of("w.npy", npy("<c8", false, "(2,)", doubles(1, 2))));
        assertThat(failureOf(() -> NpzReader.read(complex), complex)).contains("unsupported .npy header");

        Path shortData = zip(tmp.resolve("s.npz"), Map.of("w.npy", npy("<f8", false, "(3,)", doubles(1, 2))));
        assertThat(failureOf(() -> WeightFiles.read(shortData), shortData)).contains("needs 24");

        byte[] whole = Files.readAllBytes(zip(tmp.resolve("t.npz"), Map.of("w.npy", npy("<f8", false, "(64,)", new byte[512]))));
        Path cut = Files.write(tmp.resolve("cut.npz"), Arrays.copyOf(whole, whole.length - 30));
        assertThat(failureOf(() -> NpzReader.read(cut), cut)).contains("not a complete zip archive");
    }
}
