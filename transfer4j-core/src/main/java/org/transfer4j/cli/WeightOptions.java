package org.transfer4j.cli;

import java.nio.file.Path;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.BackboneLoader;
import org.transfer4j.weights.WeightRegistry;
import org.transfer4j.weights.WeightStore;
import org.transfer4j.weights.WeightsException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options that say which backbone and which weights to use, shared by several commands. */
final class WeightOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--backbone", description = "Pretrained backbone (see 'transfer4j backbones'). Default: ${DEFAULT-VALUE}.")
    String backbone;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Weights file to load (.pth, .safetensors, .npz, .tflite, Keras .h5 or quantized TorchScript .pt).")
    Path weightsFile;

    @Option(names = "--weights-dir", paramLabel = "DIR",
            description = "Folder holding official weight files, found by name and checked by hash. "
                    + "Default: $TRANSFER4J_WEIGHTS.")
    Path weightsDir;

    /**
     * Checks the backbone name; commands call it first, so that a typo is reported before any data is read.
     *
     * @throws picocli.CommandLine.ParameterException naming the value and listing the known backbones
     */
    void validate() {
        try {
            WeightRegistry.setsOf(backbone);
        } catch (WeightsException e) {
            throw Usage.error(command, "--backbone: " + e.getMessage());
        }
    }

    WeightStore store() {
        return WeightStore.fromEnvironment(weightsDir);
    }

    Backbone load() {
        return BackboneLoader.load(backbone, weightsFile, store());
    }

    /** The folder searched for weights and label files, if any. */
    Path searchDir() {
        if (weightsDir != null) {
            return weightsDir;
        }
        String env = System.getenv("TRANSFER4J_WEIGHTS");
        return env == null ? null : Path.of(env);
    }
}
