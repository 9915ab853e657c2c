package org.transfer4j.cli;

import org.transfer4j.exec.Calibration;
import org.transfer4j.exec.Precision;
import picocli.CommandLine.Option;

/** {@code --precision} and, for int8, how to calibrate: shared by the commands that run a backbone. */
final class PrecisionOptions {

    @Option(names = "--precision", paramLabel = "fp32|int8",
            description = "Number format of the backbone on ONNX Runtime: fp32, or int8 (a QDQ model calibrated "
                    + "on a seeded sample of the training images). Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--calibration", paramLabel = "minmax|percentile",
            description = "int8: how each activation's range is taken from the calibration images. Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--calibration-images", paramLabel = "N",
            description = "int8: images the calibration observes. Default: ${DEFAULT-VALUE}.")
    int images;

    /** @throws IllegalArgumentException naming the bad value (a usage error under {@link Usage#map}) */
    Precision precision() {
        return Precision.parse(precision);
    }

    /**
     * The calibration settings; null for fp32.
     *
     * @throws IllegalArgumentException naming a bad value
     */
    Calibration.Settings calibration(long seed) {
        Calibration.Settings settings = new Calibration.Settings(Calibration.Method.parse(method), images, seed);
        return precision() == Precision.INT8 ? settings : null;
    }
}
