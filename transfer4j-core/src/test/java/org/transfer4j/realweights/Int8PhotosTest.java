package org.transfer4j.realweights;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.transfer4j.SharedData;
import org.transfer4j.Transfer;
import org.transfer4j.bench.Int8Agreement;
import org.transfer4j.exec.Calibration;
import org.transfer4j.train.CalibrationStore;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.BackboneLoader;
import org.transfer4j.weights.WeightStore;

/**
 * The int8 export of real MobileNetV2 weights computes nearly what float32 does on real photos
 * (hymenoptera's 153 validation photos, calibrated on 64 of its training photos): feature vectors
 * pointing the same way, and mostly the same ImageNet top-1 class. Issue 18 asks for 98 % top-1
 * agreement; measured 0.961 here (6 of 153 insect photos change class), 0.948 on 653 photos in
 * bench/int8.sh: <b>not met</b>, see BENCHMARKS.md. The floor below guards the 0.961 against regressions.
 */
@Tag("shared")
class Int8PhotosTest {

    @Test
    void quantizedTfliteWeightsKeepTheirOwnScalesAndAgreeWithFloat() {
        Backbone net = BackboneLoader.load("mobilenet_v2", null,
                WeightStore.fromEnvironment(SharedData.pretrained().resolve("coral-tflite")));
        assertThat(net.weights().fileQuantization("features.0.0.weight")).as("the file's own scales are kept")
                .hasValueSatisfying(q -> assertThat(q.signed()).isFalse());
        Path hymenoptera = SharedData.dataset("hymenoptera");
        Int8Agreement.Result r = Int8Agreement.measure(net, Int8Agreement.images(hymenoptera.resolve("train")), 64,
                Int8Agreement.images(hymenoptera.resolve("val")));
        System.out.println("mobilenet_v2 tflite-quant, int8 vs fp32 on hymenoptera val: " + r);
        Calibration some = new Calibration(Calibration.Method.MINMAX, 1, 1, java.util.Map.of("input", new float[] {-1, 1}));
        assertThat(Transfer.cacheKey(net, null)).isEqualTo(Transfer.cacheKey(net));
        assertThat(Transfer.cacheKey(net, some)).startsWith(Transfer.cacheKey(net) + "-int8-")
                .isNotEqualTo(Transfer.cacheKey(net, new Calibration(Calibration.Method.MINMAX, 1, 1,
                        java.util.Map.of("input", new float[] {-1, 2}))));
        assertThat(r.images()).isEqualTo(153);
        assertThat(r.agreement()).isGreaterThanOrEqualTo(0.95);
        assertThat(r.minCosine()).isGreaterThan(0.98);
    }

    @Test
    void calibrationIsSeededAndStored(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Backbone net = BackboneLoader.load("mobilenet_v2", null,
                WeightStore.fromEnvironment(SharedData.pretrained().resolve("coral-tflite")));
        java.util.List<org.transfer4j.data.Sample> train = Int8Agreement.images(
                SharedData.dataset("hymenoptera").resolve("train")).stream()
                .map(p -> new org.transfer4j.data.Sample(p, 0)).toList();
        Calibration.Settings seven = new Calibration.Settings(Calibration.Method.MINMAX, 8, 7);
        assertThat(CalibrationStore.sample(train, seven)).isEqualTo(CalibrationStore.sample(train, seven)).hasSize(8)
                .isNotEqualTo(CalibrationStore.sample(train, new Calibration.Settings(Calibration.Method.MINMAX, 8, 8)));
        CalibrationStore store = new CalibrationStore(dir, new org.transfer4j.data.ContentHashes(),
                org.transfer4j.data.BatchLoader.Options.defaults(), 2, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        Calibration first = store.calibrate(net, train, seven);
        java.util.List<Path> files;
        try (var list = java.nio.file.Files.list(dir)) {
            files = list.toList();
        }
        assertThat(files).singleElement().satisfies(f -> assertThat(f.getFileName().toString()).startsWith("calibration-"));
        java.nio.file.attribute.FileTime written = java.nio.file.Files.getLastModifiedTime(files.get(0));
        Calibration again = store.calibrate(net, train, seven);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(java.nio.file.Files.getLastModifiedTime(files.get(0))).as("read, not measured again").isEqualTo(written);
        assertThat(first.images()).isEqualTo(8);
        assertThat(first.seed()).isEqualTo(7);
        Calibration percentile = store.calibrate(net, train, new Calibration.Settings(Calibration.Method.PERCENTILE, 8, 7));
        assertThat(percentile.id()).isNotEqualTo(first.id());
    }
}
