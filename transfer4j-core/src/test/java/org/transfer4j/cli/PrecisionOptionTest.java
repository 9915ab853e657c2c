package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --precision} and the calibration options: bad values are usage errors (exit 2, one line). */
class PrecisionOptionTest {

    private static final Path FP32_BUNDLE = Path.of("src/test/resources/bundles/format-2");

    @Test
    void trainRefusesAnUnknownPrecisionBeforeReadingData(@TempDir Path dir) {
        CliRun run = CliRun.of("train", dir.toString(), "--precision", "int4");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--precision must be fp32 or int8, got 'int4'").hasLineCount(1);
    }

    @Test
    void trainRefusesBadCalibrationSettings(@TempDir Path dir) {
        CliRun method = CliRun.of("train", dir.toString(), "--precision", "int8", "--calibration", "entropy");
        assertThat(method.exitCode()).isEqualTo(2);
        assertThat(method.err()).contains("--calibration must be minmax or percentile, got 'entropy'");
        CliRun images = CliRun.of("train", dir.toString(), "--precision", "int8", "--calibration-images", "0");
        assertThat(images.exitCode()).isEqualTo(2);
        assertThat(images.err()).contains("--calibration-images must be at least 1, got 0");
        CliRun finetune = CliRun.of("train", dir.toString(), "--precision", "int8", "--mode", "finetune");
        assertThat(finetune.exitCode()).isEqualTo(2);
        assertThat(finetune.err()).contains("--precision int8 is for --mode frozen");
    }

    @Test
    void embedRefusesAnUnknownPrecision(@TempDir Path dir) {
        CliRun run = CliRun.of("embed", dir.toString(), "--out", dir.resolve("out").toString(), "--precision", "fp16");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--precision must be fp32 or int8, got 'fp16'");
    }

    @Test
    void predictAndServeRefuseABundleOfTheOtherPrecision(@TempDir Path dir) {
        CliRun predict = CliRun.of("predict", FP32_BUNDLE.toString(), dir.toString(), "--precision", "int8");
        assertThat(predict.exitCode()).isEqualTo(2);
        assertThat(predict.err()).contains("holds an fp32 model").contains("train it with --precision int8");
        CliRun bad = CliRun.of("predict", FP32_BUNDLE.toString(), dir.toString(), "--precision", "int16");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--precision must be fp32 or int8, got 'int16'");
        CliRun serve = CliRun.of("serve", FP32_BUNDLE.toString(), "--precision", "int8");
        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.err()).contains("holds an fp32 model");
    }
}
