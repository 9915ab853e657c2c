package org.transfer4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.transfer4j.exec.Precision;
import org.transfer4j.model.ModelBundle;
import picocli.CommandLine.Option;

/**
 * {@code --precision} of the commands that run a saved bundle ({@code predict}, {@code serve}): a bundle
 * runs in the precision it was trained with ({@code train --precision}), whose int8 calibration it holds;
 * the option states which one is expected and refuses a bundle of the other.
 */
final class BundlePrecision {

    @Option(names = "--precision", paramLabel = "fp32|int8",
            description = "The precision the model must run in: a bundle runs in the one it was trained with "
                    + "(train --precision); another is refused. Default: the bundle's.")
    String precision;

    /**
     * @throws IllegalArgumentException when the value is not fp32 or int8, or the bundle is of the other kind
     */
    void check(Path bundle) {
        if (precision == null) {
            return;
        }
        Precision wanted = Precision.parse(precision);
        Precision actual = Files.isRegularFile(bundle.resolve(ModelBundle.CALIBRATION)) ? Precision.INT8 : Precision.FP32;
        if (wanted != actual) {
            throw new IllegalArgumentException("--precision " + wanted.id() + ": " + bundle + " holds an " + actual.id()
                    + " model (a bundle runs in the precision it was trained with); train it with --precision "
                    + wanted.id() + " or leave out --precision");
        }
    }
}
