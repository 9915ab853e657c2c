package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code transfer4j serve}: its help shows the defaults, and bad values exit 2 naming them (no server starts). */
class ServeCommandTest {

    @Test
    void helpShowsTheDefaults() {
        CliRun run = CliRun.of("serve", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--port").contains("Default: 8080").contains("--max-batch")
                .contains("Default: 16").contains("--max-delay-ms").contains("Default: 5").contains("--queue")
                .contains("Default: 256").contains("Default: 127.0.0.1").contains("--max-bytes").contains("--workers");
    }

    @Test
    void badValuesExitTwo() {
        CliRun zero = CliRun.of("serve", "some-model", "--max-batch", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--max-batch");
        CliRun workers = CliRun.of("serve", "some-model", "--workers", "0");
        assertThat(workers.exitCode()).isEqualTo(2);
        assertThat(workers.err()).contains("--workers");
        CliRun twice = CliRun.of("serve", "a/model", "b/model");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("two models are named 'model'");
        CliRun missing = CliRun.of("serve");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("RUN_DIR");
    }
}
