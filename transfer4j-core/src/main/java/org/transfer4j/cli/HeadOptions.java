package org.transfer4j.cli;

import java.util.Locale;
import org.transfer4j.train.HeadSpec;
import org.transfer4j.train.TrainConfig;
import picocli.CommandLine.Option;

/** The head and its optimiser, shared by {@code train} and {@code lr-find} so that a found rate fits the run. */
final class HeadOptions {

    @Option(names = "--head", description = "Hidden widths of the head (500, 512,256) or 'linear'. Default: ${DEFAULT-VALUE}.")
    String head;

    @Option(names = "--dropout", description = "Dropout in the head. Default: ${DEFAULT-VALUE}.")
    float dropout;

    @Option(names = "--optimizer", description = "adam or sgd. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--batch-size", description = "Examples per optimiser step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    /**
     * A config with this head, optimiser and batch size.
     *
     * @throws IllegalArgumentException naming the option and the value (call it inside {@link Usage#map})
     */
    TrainConfig applyTo(TrainConfig config) {
        return config.withHead(HeadSpec.parse(head, dropout)).withOptimizer(optimizer.toLowerCase(Locale.ROOT))
                .withBatchSize(batchSize);
    }
}
