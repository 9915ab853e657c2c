package org.transfer4j.cli;

import org.transfer4j.Transfer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How images are read: worker threads and the pixel limit, shared by {@code train}, {@code lr-find}, {@code inspect}. */
final class ReadOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--threads", description = "Threads for reading, decoding and inference. Default: all cores.")
    Integer threads;

    @Option(names = "--max-pixels", description = "Largest width × height read; larger images are skipped "
            + "before decoding. Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    /**
     * Checks the values before any data is read.
     *
     * @throws picocli.CommandLine.ParameterException naming the option and the value
     */
    void validate() {
        if (threads != null && threads < 1) {
            throw Usage.error(command, "--threads must be at least 1, got " + threads);
        }
        if (maxPixels < 1) {
            throw Usage.error(command, "--max-pixels must be positive, got " + maxPixels);
        }
    }

    /** Sets the threads (when given) and the pixel limit on a run. */
    Transfer applyTo(Transfer run) {
        if (threads != null) {
            run.threads(threads);
        }
        return run.maxPixels(maxPixels);
    }
}
