package org.transfer4j.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.transfer4j.Transfer;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.train.HeadSpec;
import org.transfer4j.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code transfer4j train}: the frozen-backbone recipe on an image folder, saved as a model bundle. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a classifier on a folder of labelled images (one sub-folder per class, "
                + "or train/ and val/ folders) with a frozen pretrained backbone.")
final class TrainCommand implements Callable<Integer> {

    private static final TrainConfig DEFAULTS = TrainConfig.frozen();

    @Parameters(paramLabel = "DATA", description = "The image folder.")
    Path data;

    @Mixin
    WeightOptions weights;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the model bundle. Default: runs/<dataset>-<backbone>-<time>/.")
    Path out;

    @Option(names = "--head", defaultValue = "500", description = "Hidden widths of the head (500, 512,256) or 'linear'. Default: ${DEFAULT-VALUE}.")
    String head;

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout in the head. Default: ${DEFAULT-VALUE}.")
    float dropout;

    @Option(names = "--epochs", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    float weightDecay;

    @Option(names = "--val-split", defaultValue = "0.2",
            description = "Share of each class held out when DATA has no val/test folder. Default: ${DEFAULT-VALUE}.")
    double valSplit;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Decoding and inference threads. Default: all cores.")
    Integer threads;

    @Option(names = "--max-pixels", defaultValue = "" + org.transfer4j.data.DecodeOptions.DEFAULT_MAX_PIXELS,
            description = "Largest width × height read; larger images are skipped before decoding. Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Option(names = "--json", description = "Print one JSON object per epoch instead of text lines.")
    boolean json;

    @Override
    public Integer call() {
        TrainConfig config = new TrainConfig(HeadSpec.parse(head, dropout), epochs, batchSize, learningRate,
                optimizer.toLowerCase(Locale.ROOT), weightDecay, seed);
        Transfer run = Transfer.from(data).backbone(weights.backbone).weights(weights.weightsFile)
                .weightsDir(weights.weightsDir).config(config).valSplit(valSplit).maxPixels(maxPixels)
                .onEpoch(e -> System.out.println(json ? toJson(e) : e.line()));
        if (threads != null) {
            run.threads(threads);
        }
        Path target = out != null ? out : defaultOut();
        try (ImageClassifier model = run.train()) {
            model.save(target);
            System.err.println("model saved to " + target);
        }
        return 0;
    }

    private Path defaultOut() {
        String name = data.toAbsolutePath().normalize().getFileName() + "-" + weights.backbone + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", name);
    }

    private static String toJson(Object o) {
        try {
            return ModelBundle.json().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
