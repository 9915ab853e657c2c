package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.TestRequirements;
import org.transfer4j.weights.ZipFixtures;

/** Bad weights given to the CLI: each a one-line error, exit code 1 (2 for an unknown backbone), no stack trace. */
class WeightsBadInputTest {

    @TempDir
    Path tmp;

    private Path photo() {
        return SharedData.dataset("hymenoptera").resolve("val/bees/26589803_5ba7000313.jpg");
    }

    private static void assertOneLineError(CliRun run, String... expected) {
        assertOneLineError(run, 1, expected);
    }

    private static void assertOneLineError(CliRun run, int exitCode, String... expected) {
        assertThat(run.exitCode()).isEqualTo(exitCode);
        assertThat(run.hasStackTrace()).isFalse();
        assertThat(run.err().lines().filter(l -> l.startsWith("transfer4j:")).toList()).hasSize(1);
        assertThat(run.err()).contains(expected);
    }

    @Test
    void truncatedTfliteFile() throws Exception {
        byte[] real = Files.readAllBytes(SharedData.pretrained().resolve("coral-tflite/mobilenet_v2_1.0_224_quant.tflite"));
        Path cut = Files.write(tmp.resolve("cut.tflite"), Arrays.copyOf(real, 200_000));
        assertOneLineError(CliRun.of("classify", "--weights", cut.toString(), photo().toString()), "cut.tflite");
    }

    @Test
    void corruptPthFile() throws Exception {
        Path junk = Files.write(tmp.resolve("junk.pth"), "PK\u0003\u0004 this is not really a zip".getBytes(StandardCharsets.UTF_8));
        assertOneLineError(CliRun.of("classify", "--weights", junk.toString(), photo().toString()), "junk.pth");
    }

    @Test
    void hashMismatchNamesBothHashesAndTheFix() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("weights"));
        Files.copy(SharedData.pretrained().resolve("coral-tflite/tf2_mobilenet_v2_1.0_224_ptq.tflite"),
                dir.resolve("mobilenet_v2_1.0_224_quant.tflite"));
        assertOneLineError(CliRun.of("classify", "--weights-dir", dir.toString(), photo().toString()),
                "mobilenet_v2_1.0_224_quant.tflite", "does not match", "expected 7aad0c74");
    }

    @Test
    void stateDictOfAnotherArchitectureListsTheKeys() throws Exception {
        Path pth = tmp.resolve("resnet18.pth");
        Process p = new ProcessBuilder(SharedData.python(), "-c",
                "import sys, torch, torchvision; torch.manual_seed(0); "
                        + "torch.save(torchvision.models.resnet18().state_dict(), sys.argv[1])", pth.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().transferTo(new ByteArrayOutputStream());
        TestRequirements.require(p.waitFor() == 0,
                "python3-torch and python3-torchvision, to write a real state_dict (apt-get install them)");
        assertOneLineError(CliRun.of("classify", "--backbone", "mobilenet_v2", "--weights", pth.toString(),
                photo().toString()), "does not fit mobilenet_v2", "missing", "unexpected (conv1.weight");
    }

    @Test
    void pickleWithAForbiddenGlobal() throws Exception {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) 0x80, 2});
        pickle.writeBytes("cposix\nsystem\n(S'touch /tmp/pwned'\ntR.".getBytes(StandardCharsets.US_ASCII));
        Path evil = ZipFixtures.zip(tmp.resolve("evil.pth"), Map.of("archive/data.pkl", pickle.toByteArray()));
        assertOneLineError(CliRun.of("classify", "--backbone", "resnet18", "--weights", evil.toString(),
                photo().toString()), "forbidden global 'posix.system'", "evil.pth");
    }

    @Test
    void unknownBackboneListsTheKnownOnes() {
        assertOneLineError(CliRun.of("classify", "--backbone", "alexnet", photo().toString()), 2,
                "--backbone: unknown backbone 'alexnet'; known: mobilenet_v2, resnet18");
    }

    @Test
    void classifyNamesBeesWithTheRealWeights() {
        CliRun run = CliRun.of("classify", "--weights-dir", SharedData.pretrained().toString(), "--top", "3",
                photo().toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines().skip(1).findFirst().orElseThrow()).contains("bee");
    }
}
