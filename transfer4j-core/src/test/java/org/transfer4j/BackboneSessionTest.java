package org.transfer4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.data.SyntheticImages;
import org.transfer4j.exec.Calibration;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.exec.Precision;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Manifest;

/**
 * The backbone's ONNX Runtime session (and int8's calibration session) lives for the backbone pass
 * only: none is open while the head trains, and after {@code fit()} only the exported model's is. The
 * manifest records the precision the bundle computes in.
 */
class BackboneSessionTest {

    @TempDir
    static Path tmp;

    @Test
    void noSessionIsOpenWhileTheHeadTrainsAndTheManifestSaysFp32() {
        Manifest.BackboneInfo backbone = train(Precision.FP32, "fp32");
        assertThat(backbone.precision()).isEqualTo("fp32");
        assertThat(backbone.calibration()).isNull();
    }

    @Test
    void int8TooAndTheManifestSaysInt8WithItsCalibration() {
        Manifest.BackboneInfo backbone = train(Precision.INT8, "int8");
        assertThat(backbone.precision()).isEqualTo("int8");
        assertThat(backbone.calibration()).startsWith("minmax over 8 images (seed 42)").contains(", id ");
    }

    private static Manifest.BackboneInfo train(Precision precision, String name) {
        Path data = tmp.resolve("data");
        SyntheticImages.write(data, 2, 10, 64, 1);
        int before = OrtRunner.openSessions();
        List<Integer> whileTraining = new ArrayList<>();
        Transfer.Outcome outcome = Transfer.from(data).weightsDir(SharedData.pretrained()).epochs(2)
                .cacheDir(tmp.resolve("cache-" + name)).progress(false)
                .log(new PrintStream(OutputStream.nullOutputStream())).precision(precision)
                .calibration(new Calibration.Settings(Calibration.Method.MINMAX, 8, 42))
                .onEpoch(e -> whileTraining.add(OrtRunner.openSessions() - before)).fit();
        try (ImageClassifier model = outcome.model()) {
            assertThat(whileTraining).as("sessions open during each head epoch").hasSize(2).containsOnly(0);
            assertThat(OrtRunner.openSessions() - before).as("only the exported model's").isEqualTo(1);
            assertThat(model.precision()).isEqualTo(precision);
            return model.manifest().backbone();
        } finally {
            assertThat(OrtRunner.openSessions()).isEqualTo(before);
        }
    }
}
