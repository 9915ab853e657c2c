package org.transfer4j.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.transfer4j.Transfer;
import org.transfer4j.data.Augmentation;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.train.Checkpoint;
import org.transfer4j.train.FineTuneConfig;
import org.transfer4j.train.HeadSpec;
import org.transfer4j.train.Schedule;
import org.transfer4j.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code transfer4j train}: the frozen-backbone recipe on an image folder, saved as a model bundle. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a classifier on a folder of labelled images (one sub-folder per class, "
                + "or train/ and val/ folders) with a pretrained backbone: frozen (head only) or staged fine-tuning of its top blocks.")
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

    @Option(names = "--weight-decay", defaultValue = "0", description = "An L2 penalty on the head's gradients; "
            + "decoupled (AdamW) in the fine-tuning stage. Default: ${DEFAULT-VALUE}.")
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

    @Option(names = "--schedule", defaultValue = "constant",
            description = "Learning-rate schedule: constant, cosine, step or onecycle. Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--warmup", defaultValue = "0",
            description = "Share of the steps spent warming up the learning rate. Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--class-weights", defaultValue = "none",
            description = "none, or auto to weight each class by n / (classes * n_class). Default: ${DEFAULT-VALUE}.")
    String classWeights;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    float labelSmoothing;

    @Option(names = "--augment", defaultValue = "none",
            description = "Augment the training images: none, light, standard or strong (random resized crop, flip, "
                    + "rotation, colour jitter; the test split never). Default: ${DEFAULT-VALUE}.")
    String augment;

    @Option(names = "--aug-views", defaultValue = "0",
            description = "Augmented views per training image, computed once and cached; epoch e uses view (e-1) mod K. "
                    + "Default: one per epoch of the augmented stage (--epochs frozen, --finetune-epochs fine-tuning).")
    int augViews;

    @Option(names = "--mode", defaultValue = "frozen",
            description = "frozen (head only) or finetune (then the top blocks too). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--unfreeze", defaultValue = "2", description = "Fine-tuning: top blocks that train. Default: ${DEFAULT-VALUE}.")
    int unfreeze;

    @Option(names = "--finetune-epochs", defaultValue = "5", description = "Fine-tuning epochs after the head epochs. Default: ${DEFAULT-VALUE}.")
    int finetuneEpochs;

    @Option(names = "--finetune-lr", defaultValue = "0.0001", description = "Fine-tuning learning rate of the head. Default: ${DEFAULT-VALUE}.")
    float finetuneLr;

    @Option(names = "--backbone-lr-mult", defaultValue = "0.1",
            description = "Backbone learning rate relative to the head's when fine-tuning. Default: ${DEFAULT-VALUE}.")
    float backboneLrMult;

    @Option(names = "--freeze-bn", description = "Keep every batch-norm layer in inference mode and fixed when fine-tuning.")
    boolean freezeBn;

    @Option(names = "--patience", defaultValue = "3",
            description = "Stop fine-tuning after this many epochs without a lower validation loss; 0: never. Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue an interrupted fine-tuning run (same settings) from its checkpoint; the model is saved there.")
    Path resume;

    @Option(names = "--json", description = "Print one JSON object per epoch instead of text lines.")
    boolean json;

    @Override
    public Integer call() {
        if (!classWeights.equals("none") && !classWeights.equals("auto")) {
            throw new IllegalArgumentException("--class-weights must be none or auto, got " + classWeights);
        }
        TrainConfig config = new TrainConfig(HeadSpec.parse(head, dropout), epochs, batchSize, learningRate,
                optimizer.toLowerCase(Locale.ROOT), weightDecay, seed, new Schedule(schedule, warmup),
                classWeights.equals("auto"), labelSmoothing);
        Transfer run = Transfer.from(data).backbone(weights.backbone).weights(weights.weightsFile)
                .weightsDir(weights.weightsDir).config(config).valSplit(valSplit).maxPixels(maxPixels)
                .onEpoch(e -> System.out.println(json ? toJson(e) : e.line()));
        if (threads != null) {
            run.threads(threads);
        }
        run.augment(Augmentation.preset(augment), augViews);
        Path target = resume != null ? resume : out != null ? out : defaultOut();
        switch (mode) {
            case "frozen" -> {
                if (resume != null) {
                    throw new IllegalArgumentException("--resume applies to --mode finetune; a frozen run is fast to redo");
                }
            }
            case "finetune" -> run.fineTune(new FineTuneConfig(unfreeze, finetuneEpochs, finetuneLr, backboneLrMult,
                    freezeBn, patience)).checkpointDir(target.resolve("checkpoint"));
            default -> throw new IllegalArgumentException("--mode must be frozen or finetune, got " + mode);
        }
        if (resume != null && !java.nio.file.Files.isRegularFile(target.resolve("checkpoint").resolve(Checkpoint.POINTER))) {
            throw new IllegalArgumentException("--resume " + resume + ": no checkpoint there (expected "
                    + target.resolve("checkpoint").resolve(Checkpoint.POINTER) + ")");
        }
        try (ImageClassifier model = run.fit().withReport(System.err)) {
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
