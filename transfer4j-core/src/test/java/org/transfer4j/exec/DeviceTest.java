package org.transfer4j.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Device selection on this CPU-only build: auto falls back and says so, cuda is a clear error. */
class DeviceTest {

    @Test
    void parsesTheChoicesAndRefusesOthers() {
        assertThat(Device.parse("cpu")).isEqualTo(Device.cpu());
        assertThat(Device.parse("CUDA")).isEqualTo(new Device(Device.Kind.CUDA, 0));
        assertThat(Device.parse("cuda:3").toString()).isEqualTo("cuda:3");
        assertThat(Device.parse("auto").kind()).isEqualTo(Device.Kind.AUTO);
        assertThatThrownBy(() -> Device.parse("gpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gpu'").hasMessageContaining(Device.CHOICES);
        assertThatThrownBy(() -> Device.parse("cuda:-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Device.parse("cuda:x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhy() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Device used = Device.parse("auto").resolve(false, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(used).isEqualTo(Device.cpu());
        assertThat(log.toString(StandardCharsets.UTF_8)).startsWith("device auto: using the CPU (")
                .contains("CUDA execution provider");
    }

    @Test
    void cudaWithoutAProviderNamesWhatIsMissing() {
        assertThatThrownBy(() -> Device.parse("cuda:1").resolve(true, System.err))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--device cuda:1: ")
                .hasMessageContaining("onnxruntime_gpu").hasMessageContaining("-Pcuda");
    }

    @Test
    void cpuNeedsNoCheckAndSessionsRunOnIt() {
        assertThat(Device.cpu().resolve(true, System.err)).isEqualTo(Device.cpu());
        assertThatThrownBy(() -> new OrtRunner(new byte[] {1, 2, 3}, 1, Device.parse("auto")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("resolve 'auto'");
    }
}
