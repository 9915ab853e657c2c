package org.transfer4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad usage of the job ends with exit 2 and one line, before any Spark session starts. */
class FeatureJobUsageTest {

    private record Run(int code, String err) {
    }

    private static synchronized Run run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(e);
            code = FeatureJob.run(null, args);
        } finally {
            System.setErr(old);
        }
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void cudaWithoutAGpuIsAUsageErrorNamingWhatIsMissing() {
        Run r = run("data", "out", "--device", "cuda");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--device cuda:0").contains("CUDA execution provider").contains("-Pcuda")
                .doesNotContain("\tat ");
    }

    @Test
    void unknownDeviceAndBackboneAreUsageErrors() {
        assertThat(run("data", "out", "--device", "tpu").code()).isEqualTo(2);
        Run r = run("data", "out", "--backbone", "resnet9000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("resnet9000");
    }

    @Test
    void missingArgumentsAreUsageErrors() {
        assertThat(run("data").code()).isEqualTo(2);
    }
}
