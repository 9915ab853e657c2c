package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelBundle;

/**
 * {@code --device} on this machine, which has no GPU: {@code cuda} is a usage error (exit 2) naming what
 * is missing on every command that runs a network; {@code auto} falls back to the CPU, says so, and
 * the manifest records the device used.
 */
class DeviceOptionTest {

    @TempDir
    Path dir;

    @Test
    void cudaIsAUsageErrorOnEveryCommand() {
        for (String[] args : new String[][] {
                {"train", dir.toString(), "--device", "cuda"},
                {"embed", dir.toString(), "--out", dir.resolve("e").toString(), "--device", "cuda:1"},
                {"predict", dir.toString(), dir.toString(), "--device", "cuda"},
                {"serve", dir.toString(), "--port", "0", "--device", "cuda"}}) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err()).as(args[0]).contains("--device cuda").contains("CUDA execution provider")
                    .contains("-Pcuda");
            assertThat(run.hasStackTrace()).isFalse();
        }
        CliRun bad = CliRun.of("train", dir.toString(), "--device", "tpu");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--device must be cpu, cuda, cuda:N or auto, got 'tpu'");
    }

    @Test
    @Tag("shared")
    void autoFallsBackToTheCpuSaysSoAndTheManifestRecordsIt() throws IOException {
        Path data = SmallHymenoptera.data(dir);
        Path out = dir.resolve("model");
        CliRun run = CliRun.of("train", data.toString(), "--weights-dir", SharedData.pretrained().toString(),
                "--epochs", "1", "--device", "auto", "--out", out.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("device auto: using the CPU (");
        Manifest m = ModelBundle.readManifest(out);
        assertThat(m.provenance().device()).isEqualTo("cpu");
    }
}
