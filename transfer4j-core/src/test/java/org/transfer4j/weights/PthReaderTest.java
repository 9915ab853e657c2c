package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.transfer4j.weights.ZipFixtures.failureOf;
import static org.transfer4j.weights.ZipFixtures.zip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.arch.MobileNetV2;

class PthReaderTest {

    @TempDir
    Path tmp;

    @Test
    void readsEveryDtypeInDefinitionOrder() {
        Weights w = PthReader.read(TorchCases.file("dtypes.pth"));
        assertThat(w.asMap().keySet()).containsExactly("zeta.weight", "alpha.half", "mid.double", "bf.bfloat16",
                "count", "view.row1", "k9", "k8", "k7", "k6", "k5", "k4", "k3", "k2", "k1", "k0");
        assertThat(w.get("zeta.weight").shape()).containsExactly(2, 3);
        assertThat(w.get("zeta.weight").data()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(w.get("alpha.half").data()).containsExactly(0f, 0.5f, 1f, 1.5f);
        assertThat(w.get("mid.double").data()).containsExactly(0f, 0.25f, 0.5f);
        assertThat(w.get("bf.bfloat16").data()).containsExactly(0f, 2f, 4f);
        assertThat(w.get("count").shape()).isEmpty();
        assertThat(w.get("count").data()).containsExactly(7f);
        assertThat(w.get("view.row1").data()).as("row 1 of a 3x4 arange: storage offset 4")
                .containsExactly(4, 5, 6, 7);
        assertThat(w.get("k3").data()).containsExactly(3, 3);
    }

    @Test
    void unwrapsCheckpointAndStripsDataParallelPrefix() {
        Weights plain = PthReader.read(TorchCases.file("plain.pth"));
        Weights checkpoint = PthReader.read(TorchCases.file("checkpoint.pth"));
        assertThat(checkpoint.asMap().keySet()).containsExactlyElementsOf(plain.asMap().keySet())
                .contains("0.weight", "1.running_var", "1.num_batches_tracked");
        plain.asMap().forEach((k, t) -> assertThat(checkpoint.get(k).data()).containsExactly(t.data()));
    }

    @Test
    void rejectsNonContiguousTensors() {
        Path file = TorchCases.file("transposed.pth");
        assertThat(failureOf(() -> PthReader.read(file), file)).contains("tensor w is not contiguous", ".contiguous()");
    }

    @Test
    void refusesAPickledModule() {
        Path file = TorchCases.file("whole_module.pth");
        assertThat(failureOf(() -> PthReader.read(file), file))
                .contains("forbidden global 'torch.nn.modules.linear.Linear'", "state_dict()");
    }

    @Test
    void refusesOsSystemWithoutRunningIt() {
        Path marker = tmp.resolve("pwned");
        byte[] command = ("touch " + marker).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream protocol2 = new ByteArrayOutputStream();
        protocol2.writeBytes(new byte[] {(byte) 0x80, 2});
        protocol2.writeBytes("cposix\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        protocol2.writeBytes(binUnicode(command));
        protocol2.writeBytes(new byte[] {(byte) 0x85, 'R', '.'});
        Path file = zip(tmp.resolve("evil.pth"), Map.of("archive/data.pkl", protocol2.toByteArray()));
        assertThat(failureOf(() -> PthReader.read(file), file)).contains("forbidden global 'posix.system'");

        ByteArrayOutputStream protocol4 = new ByteArrayOutputStream();
        protocol4.writeBytes(new byte[] {(byte) 0x80, 4, (byte) 0x8c, 5});
        protocol4.writeBytes("posix".getBytes(StandardCharsets.US_ASCII));
        protocol4.writeBytes(new byte[] {(byte) 0x94, (byte) 0x8c, 6});
        protocol4.writeBytes("system".getBytes(StandardCharsets.US_ASCII));
        protocol4.writeBytes(new byte[] {(byte) 0x94, (byte) 0x93});
        protocol4.writeBytes(binUnicode(command));
        protocol4.writeBytes(new byte[] {(byte) 0x85, 'R', '.'});
        Path file4 = zip(tmp.resolve("evil4.pth"), Map.of("archive/data.pkl", protocol4.toByteArray()));
        assertThat(failureOf(() -> WeightFiles.read(file4), file4)).contains("forbidden global 'posix.system'");
        assertThat(marker).doesNotExist();
    }

    @Test
    void reportsATruncatedArchive() throws IOException {
        byte[] whole = Files.readAllBytes(TorchCases.file("dtypes.pth"));
        Path file = tmp.resolve("truncated.pth");
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        assertThat(failureOf(() -> PthReader.read(file), file)).contains("not a complete zip archive");
    }

    @Test
    void reportsAStorageShorterThanItsTensor() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile original = new ZipFile(TorchCases.file("dtypes.pth").toFile())) {
            for (ZipEntry e : Collections.list(original.entries())) {
                try (InputStream in = original.getInputStream(e)) {
                    byte[] bytes = in.readAllBytes();
                    entries.put(e.getName(), e.getName().endsWith("data/0") ? new byte[3] : bytes);
                }
            }
        }
        Path file = zip(tmp.resolve("damaged.pth"), entries);
        assertThat(failureOf(() -> PthReader.read(file), file)).contains("has 3 bytes", "damaged");
    }

    @Test
    void listsMissingUnexpectedAndMisShapedKeysOfAnotherArchitecture() {
        Path file = TorchCases.file("resnetish.pth");
        Weights w = PthReader.read(file);
        String message = failureOf(() -> w.checkAgainst(MobileNetV2.torchvision(), file.toString()), file);
        assertThat(message).contains("does not fit mobilenet_v2", "missing (features.0.0.weight",
                "3 unexpected (conv1.weight, bn1.weight, fc.weight)",
                "1 mis-shaped (classifier.1.weight [10, 1280] (expected [1000, 1280]))");
    }

    @Test
    @Tag("shared")
    void explainsATorchScriptArchive() {
        Path file = SharedData.pretrained().resolve("pytorch-mobilenet_v2-quantized/mobilenet_quantized.pt");
        assertThat(failureOf(() -> PthReader.read(file), file)).contains("TorchScript archive", "TorchScriptReader");
    }

    @Test
    void readsSafetensorsAndNpzThroughTheSameDoor() {
        Weights npz = WeightFiles.read(TorchCases.file("arrays.npz"));
        assertThat(npz.asMap().keySet()).containsExactly("first", "second", "third");
        assertThat(npz.get("first").shape()).containsExactly(2, 3);
        assertThat(npz.get("first").data()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(npz.get("second").data()).containsExactly(0, 1, 2);
        assertThat(npz.get("third").data()).containsExactly(0, 1);
        assertThat(WeightFiles.read(TorchCases.file("dtypes.pth")).size()).isEqualTo(16);
    }

    private static byte[] binUnicode(byte[] utf8) {
        ByteBuffer b = ByteBuffer.allocate(5 + utf8.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'X').putInt(utf8.length).put(utf8);
        return b.array();
    }
}
