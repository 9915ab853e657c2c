package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.transfer4j.weights.ZipFixtures.failureOf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsReaderTest {

    @TempDir
    Path tmp;

    /** F32 [2,2] = 1..4, F16 [2] = 0.5 and -2, F64 [1] = 0.25, I64 [] = 7, in that data order. */
    private static byte[] data() {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        b.putShort((short) 0x3800).putShort((short) 0xc000);
        b.putDouble(0.25).putLong(7);
        return b.array();
    }

    private static final String HEADER = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"z.f64\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[20,28]},"
            + "\"a.f32\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
            + "\"count\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[28,36]},"
            + "\"m.f16\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[16,20]}}";

    private Path write(String name, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.writeBytes(json);
        out.writeBytes(data);
        return Files.write(tmp.resolve(name), out.toByteArray());
    }

    @Test
    void readsNamesShapesAndTypesInDataOrder() throws IOException {
        Weights w = WeightFiles.read(write("model.safetensors", HEADER, data()));
        assertThat(w.asMap().keySet()).containsExactly("a.f32", "m.f16", "z.f64", "count");
        assertThat(w.get("a.f32").shape()).containsExactly(2, 2);
        assertThat(w.get("a.f32").data()).containsExactly(1, 2, 3, 4);
        assertThat(w.get("m.f16").data()).containsExactly(0.5f, -2f);
        assertThat(w.get("z.f64").data()).containsExactly(0.25f);
        assertThat(w.get("count").shape()).isEmpty();
        assertThat(w.get("count").data()).containsExactly(7f);
    }

    @Test
    void rejectsAHeaderThatLiesAboutSizes() throws IOException {
        String lying = HEADER.replace("\"shape\":[2,2],\"data_offsets\":[0,16]", "\"shape\":[3,2],\"data_offsets\":[0,16]");
        Path file = write("lying.safetensors", lying, data());
        assertThat(failureOf(() -> SafetensorsReader.read(file), file))
                .contains("tensor a.f32 claims bytes [0, 16) but F32 [3,2] needs 24");

        String pastTheEnd = HEADER.replace("[28,36]", "[28,4000]").replace("\"shape\":[]", "\"shape\":[496]");
        Path file2 = write("past-end.safetensors", pastTheEnd, data());
        assertThat(failureOf(() -> SafetensorsReader.read(file2), file2)).contains("data section holds 36");
    }

    @Test
    void rejectsAHeaderLengthBeyondTheFileAndATruncatedFile() throws IOException {
        Path whole = write("whole.safetensors", HEADER, data());
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(tmp.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 10));
        assertThat(failureOf(() -> WeightFiles.read(cut), cut)).contains("data section holds 26");

        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Path huge = Files.write(tmp.resolve("huge.safetensors"), bytes);
        assertThat(failureOf(() -> SafetensorsReader.read(huge), huge)).contains("header length 1099511627776");
    }

    @Test
    void rejectsRandomBytesAndUnknownTypes() throws IOException {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Path random = Files.write(tmp.resolve("noise.safetensors"), noise);
        assertThat(failureOf(() -> SafetensorsReader.read(random), random)).contains("header length");
        assertThat(failureOf(() -> WeightFiles.read(random), random)).contains("not a weights file");
        Path pth = Files.write(tmp.resolve("noise.pth"), noise);
        assertThat(failureOf(() -> PthReader.read(pth), pth)).contains("not a complete zip archive");

        Path complex = write("c64.safetensors", HEADER.replace("\"F64\"", "\"C64\""), data());
        assertThat(failureOf(() -> SafetensorsReader.read(complex), complex)).contains("dtype 'C64'", "F32");
    }

    @Test
    void explainsALegacyPickle() throws IOException {
        Path legacy = Files.write(tmp.resolve("old.pth"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc,
                (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8});
        assertThat(failureOf(() -> WeightFiles.read(legacy), legacy)).contains("bare pickle", "torch.save");
    }
}
