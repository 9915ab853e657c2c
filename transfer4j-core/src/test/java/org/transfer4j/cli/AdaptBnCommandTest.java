package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.data.SyntheticImages;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelBundle;

/**
 * {@code train --adapt-bn}: weights without batch-norm statistics are bad usage (exit 2, the weight set
 * named, nothing written); with statistics, the bundle records the adaptation and its model.onnx (checked
 * against training by the export check) holds the adapted statistics.
 */
class AdaptBnCommandTest {

    @TempDir
    Path tmp;

    private void assertUsageError(CliRun run, String... expected) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(expected);
        assertThat(run.err().lines().filter(l -> l.startsWith("transfer4j:")).count()).isEqualTo(1);
        assertThat(run.hasStackTrace()).isFalse();
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void tfliteWeightsHaveNoBatchNormToAdapt() throws IOException {
        Path data = tmp.resolve("data");
        SyntheticImages.write(data, 2, 6, 64, 1);
        CliRun run = CliRun.of("train", data.toString(), "--backbone", "mobilenet_v2:tflite-quant", "--adapt-bn",
                "--out", tmp.resolve("out").toString());
        assertUsageError(run, "--adapt-bn: mobilenet_v2:tflite-quant (mobilenet_v2_1.0_224_quant.tflite) has no "
                + "batch-norm layer (mobilenet_v2_tf: batch norm is folded into its convolutions)", "leave out --adapt-bn");
    }

    @Test
    void featureTableCannotBeAdapted() {
        CliRun run = CliRun.of("train", "--features", tmp.resolve("table").toString(), "--adapt-bn", "--out",
                tmp.resolve("out").toString());
        assertUsageError(run, "--adapt-bn needs the images");
    }

    @Test
    @Tag("shared")
    void foldedStateDictWithIdentityBatchNormIsRefused() throws IOException {
        Path data = tmp.resolve("data");
        SyntheticImages.write(data, 2, 6, 64, 1);
        Path folded = SharedData.pretrained().resolve("torchvision-format/mobilenet_v2_from_qnnpack_float.pth");
        CliRun run = CliRun.of("train", data.toString(), "--weights", folded.toString(), "--adapt-bn",
                "--out", tmp.resolve("out").toString());
        assertUsageError(run, "--adapt-bn: mobilenet_v2:torchvision (mobilenet_v2_from_qnnpack_float.pth) has batch "
                + "norm folded into its convolutions (all 52 batch-norm layers have running mean 0 and variance 1)");
    }

    @Test
    @Tag("shared")
    void adaptedStatisticsGoIntoTheBundleAndAreMeasuredOnce() throws IOException {
        Path data = SmallHymenoptera.data(tmp);
        String[] common = {"train", data.toString(), "--backbone", "mobilenet_v1_0.25_224", "--weights-dir",
                SharedData.pretrained().toString(), "--epochs", "2"};
        CliRun adapted = CliRun.of(concat(common, "--adapt-bn", "--out", tmp.resolve("adapted").toString()));
        assertThat(adapted.exitCode()).as(adapted.err()).isZero();
        assertThat(adapted.err()).contains("adapt-bn: 20 images (of 20)");
        Manifest.AdaptedBatchNorm recorded = ModelBundle.readManifest(tmp.resolve("adapted")).backbone().adaptedBatchNorm();
        assertThat(recorded).isNotNull();
        assertThat(recorded.images()).isEqualTo(20);
        assertThat(recorded.batchSize()).isEqualTo(20);
        assertThat(recorded.statisticsSha256()).hasSize(64);

        CliRun again = CliRun.of(concat(common, "--adapt-bn", "--out", tmp.resolve("again").toString()));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).as("statistics read from the store, features from the cache")
                .doesNotContain("re-estimated on").contains("train: all 18 features from the cache");
        assertThat(ModelBundle.readManifest(tmp.resolve("again")).backbone().adaptedBatchNorm()).isEqualTo(recorded);

        CliRun plain = CliRun.of(concat(common, "--out", tmp.resolve("plain").toString()));
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        Manifest m = ModelBundle.readManifest(tmp.resolve("plain"));
        assertThat(m.backbone().adaptedBatchNorm()).isNull();
        assertThat(m.provenance().modelSha256()).as("model.onnx holds other statistics")
                .isNotEqualTo(ModelBundle.readManifest(tmp.resolve("adapted")).provenance().modelSha256());
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
