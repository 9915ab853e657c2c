package org.transfer4j.cli;

import org.transfer4j.Transfer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How a folder is split into train, validation and test, shared by {@code train} and {@code lr-find}. */
final class SplitOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--test-split", paramLabel = "SHARE",
            description = "Share of each class held out as the test split when DATA has no val/, valid/, "
                    + "validation/ or test/ folder; the test split is scored once, at the end. Default: ${DEFAULT-VALUE}.")
    double testSplit;

    @Option(names = "--val-split", paramLabel = "SHARE",
            description = "Share of each class of the training images carved out (stratified, seeded) as the "
                    + "validation split, which makes every choice (best epoch, early stopping); 0 for none. "
                    + "Default: ${DEFAULT-VALUE}.")
    double valSplit;

    @Option(names = "--seed", description = "Seed of the splits, of the head's initial weights and of the "
            + "shuffling. Default: ${DEFAULT-VALUE}.")
    long seed;

    /**
     * Checks the shares before any data is read.
     *
     * @throws picocli.CommandLine.ParameterException naming the option and the value
     */
    void validate() {
        Usage.check(command, () -> {
            requireTestShare(testSplit);
            if (!(valSplit >= 0 && valSplit < 1)) {
                throw new IllegalArgumentException("--val-split must be a share in [0, 1), got " + valSplit);
            }
        });
    }

    /** Checks a {@code --test-split} value. */
    static void requireTestShare(double share) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("--test-split must be a share in (0, 1), got " + share);
        }
    }

    /** Sets both shares on a run (its seed goes with the rest of the config: {@code TrainConfig.seed}). */
    Transfer applyTo(Transfer run) {
        return run.testSplit(testSplit).valSplit(valSplit);
    }
}
