package org.transfer4j.cli;

import org.transfer4j.exec.Device;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --device cpu|cuda[:N]|auto}, shared by the commands that run a network. */
final class DeviceOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--device", paramLabel = "DEVICE", description = "Where networks run: " + Device.CHOICES
            + " (auto: a GPU when ONNX Runtime's CUDA provider loads, else the CPU, said on stderr). "
            + "Default: ${DEFAULT-VALUE}.")
    String device;

    /**
     * The device to use: parsed, {@code auto} resolved, {@code cuda} checked.
     *
     * @param training whether libtorch must reach the GPU too
     * @throws picocli.CommandLine.ParameterException (exit 2) for a bad value or a GPU that cannot be used,
     *     naming what is missing
     */
    Device resolve(boolean training) {
        return Usage.map(command, () -> Device.parse(device).resolve(training, System.err));
    }

    /** The parsed value, not resolved (for the library, which resolves it itself). */
    Device parsed() {
        return Usage.map(command, () -> Device.parse(device));
    }
}
