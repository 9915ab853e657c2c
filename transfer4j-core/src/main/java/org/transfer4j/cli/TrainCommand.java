package org.transfer4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.transfer4j.Transfer;
import org.transfer4j.semi.SemiMethod;
import org.transfer4j.semi.UnlabeledDataException;
import org.transfer4j.data.Augmentation;
import org.transfer4j.exec.BatchNormAdaptation;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.train.Checkpoint;
import org.transfer4j.train.FineTuneConfig;
import org.transfer4j.train.Schedule;
import org.transfer4j.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transfer4j train}: the frozen-backbone recipe on an image folder, saved as a model bundle. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a classifier on a folder of labelled images (one sub-folder per class, "
                + "or train/ and val/ folders) with a pretrained backbone: frozen (head only) or staged fine-tuning of its top blocks.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DATA", arity = "0..1", description = "The image folder (or give --features).")
    Path data;

    @Option(names = "--features", paramLabel = "DIR",
            description = "Train the head on a feature table written by the Spark job (transfer4j-spark: Parquet and "
                    + "_transfer4j.json) instead of an image folder: no backbone pass. The backbone's weights are "
                    + "found as usual and checked against the table.")
    Path features;

    @Mixin
    WeightOptions weights;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the model bundle. Default: runs/<dataset>-<backbone>-<time>/.")
    Path out;

    @Mixin
    HeadOptions head;

    @Option(names = "--epochs", description = "Passes over the training images. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--lr", description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(names = "--weight-decay", description = "Decoupled weight decay (as AdamW: each step shrinks the "
            + "weights by rate x decay), the same in both stages and for both optimisers. Default: ${DEFAULT-VALUE}.")
    float weightDecay;

    @Mixin
    SplitOptions split;

    @Mixin
    PrecisionOptions precision;

    @Mixin
    ReadOptions reading;

    @Mixin
    DeviceOption device;

    @Option(names = "--schedule",
            description = "Learning-rate schedule: constant, cosine, step or onecycle. Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--warmup", description = "Share of the steps spent warming up the learning rate. Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--class-weights",
            description = "none, or auto to weight each class by n / (classes * n_class). Default: ${DEFAULT-VALUE}.")
    String classWeights;

    @Option(names = "--label-smoothing", description = "Default: ${DEFAULT-VALUE}.")
    float labelSmoothing;

    @Option(names = "--augment",
            description = "Augment the training images: none, light, standard or strong (random resized crop, flip, "
                    + "rotation, colour jitter; the test split never). Default: ${DEFAULT-VALUE}.")
    String augment;

    @Option(names = "--aug-views",
            description = "Augmented views per training image, computed once and cached; epoch e uses view (e-1) mod K. "
                    + "Default: one per epoch of the augmented stage (--epochs frozen, --finetune-epochs fine-tuning).")
    int augViews;

    @Option(names = "--mode", description = "frozen (head only) or finetune (then the top blocks too). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--unfreeze", description = "Fine-tuning: top blocks that train. Default: ${DEFAULT-VALUE}.")
    int unfreeze;

    @Option(names = "--finetune-epochs", description = "Fine-tuning epochs after the head epochs. Default: ${DEFAULT-VALUE}.")
    int finetuneEpochs;

    @Option(names = "--finetune-lr", description = "Fine-tuning learning rate of the head. Default: ${DEFAULT-VALUE}.")
    float finetuneLr;

    @Option(names = "--backbone-lr-mult",
            description = "Backbone learning rate relative to the head's when fine-tuning. Default: ${DEFAULT-VALUE}.")
    float backboneLrMult;

    @Option(names = "--freeze-bn", description = "Keep every batch-norm layer in inference mode and fixed when fine-tuning.")
    boolean freezeBn;

    @Option(names = "--patience",
            description = "Stop fine-tuning after this many epochs without a lower validation loss; 0: never. Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue an interrupted fine-tuning run (same settings) from its checkpoint; the model is saved there.")
    Path resume;

    @Option(names = "--unknown-rate", description = "Share of validation images the 'unknown' rule rejects: its threshold "
            + "on the distance to the nearest class centroid is that quantile of the validation images. Default: ${DEFAULT-VALUE}.")
    double unknownRate;

    @Option(names = "--unlabeled", paramLabel = "DIR", description = "A folder of unlabeled images of the same kind "
            + "(any depth) that help train the head (frozen, without augmentation); images also labelled are left out.")
    Path unlabeled;

    @Option(names = "--semi", description = "How the unlabeled images help: spread (label spreading on a kNN graph), "
            + "pseudo (rounds of confident pseudo labels) or none; settings chosen on the validation split. "
            + "Default: ${DEFAULT-VALUE}.")
    String semi;

    @Option(names = "--adapt-bn", description = "Re-estimate the backbone's batch-norm statistics on the training "
            + "and unlabeled images (a seeded sample of at most 1024; never the test split) before extracting features "
            + "(AdaBN). Needs a weight set with batch-norm statistics (not TFLite or folded ones).")
    boolean adaptBn;

    @Option(names = "--json", description = "Print one JSON object per epoch instead of text lines.")
    boolean json;

    @Override
    public Integer call() {
        weights.validate();
        split.validate();
        reading.validate();
        if ((data == null) == (features == null)) {
            throw Usage.error(spec, data == null ? "give an image folder DATA, or --features DIR"
                    : "give an image folder DATA or --features DIR, not both");
        }
        Path target = resume != null ? resume : out != null ? out : defaultOut();
        Transfer run = Usage.map(spec, () -> transfer(target));
        Transfer.Outcome outcome;
        try {
            outcome = run.fit();
        } catch (UnlabeledDataException | BatchNormAdaptation.NotApplicableException e) {
            throw Usage.error(spec, e.getMessage());
        }
        try (ImageClassifier model = outcome.withReport(System.err)) {
            model.save(target);
            System.err.println("model saved to " + target);
        }
        return 0;
    }

    /** Maps the options to a run; reads no data. */
    private Transfer transfer(Path target) {
        if (!classWeights.equals("none") && !classWeights.equals("auto")) {
            throw new IllegalArgumentException("--class-weights must be none or auto, got " + classWeights);
        }
        TrainConfig config = head.applyTo(TrainConfig.frozen()).withEpochs(epochs).withLearningRate(learningRate)
                .withWeightDecay(weightDecay).withSeed(split.seed).withSchedule(new Schedule(schedule, warmup))
                .withClassWeights(classWeights.equals("auto")).withLabelSmoothing(labelSmoothing);
        Transfer run = (features != null ? Transfer.fromFeatures(features) : Transfer.from(data).backbone(weights.backbone)).weights(weights.weightsFile)
                .weightsDir(weights.weightsDir).config(config)
                .onEpoch(e -> System.out.println(json ? toJson(e) : e.line()));
        split.applyTo(run);
        reading.applyTo(run);
        run.augment(Augmentation.preset(augment), augViews);
        run.unknownRate(unknownRate);
        SemiMethod method = SemiMethod.parse(semi);
        if (unlabeled != null) {
            if (!mode.equals("frozen") || !augment.equals(Augmentation.NONE.name())) {
                throw new IllegalArgumentException("--unlabeled trains the head on frozen features: it needs --mode "
                        + "frozen and --augment none");
            }
            run.unlabeled(unlabeled).semi(method);
        }
        if (adaptBn && features != null) {
            throw new IllegalArgumentException("--adapt-bn needs the images: a feature table (--features) holds "
                    + "features of the weights file's batch-norm statistics");
        }
        run.adaptBatchNorm(adaptBn);
        run.precision(precision.precision());
        if (precision.calibration(split.seed) != null) {
            run.calibration(precision.calibration(split.seed));
            if (mode.equals("finetune")) {
                throw new IllegalArgumentException("--precision int8 is for --mode frozen; fine-tuning trains in fp32");
            }
        }
        run.device(device.parsed());
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
        if (resume != null && !Files.isRegularFile(target.resolve("checkpoint").resolve(Checkpoint.POINTER))) {
            throw new IllegalArgumentException("--resume " + resume + ": no checkpoint there (expected "
                    + target.resolve("checkpoint").resolve(Checkpoint.POINTER) + ")");
        }
        return run;
    }

    private Path defaultOut() {
        Path source = features != null ? features : data;
        String name = source.toAbsolutePath().normalize().getFileName() + "-" + weights.backbone + "-"
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
