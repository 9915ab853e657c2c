package org.transfer4j.cli;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.transfer4j.Transfer;
import org.transfer4j.data.Augmentation;
import org.transfer4j.data.DecodeOptions;
import org.transfer4j.doctor.DuplicateFinder;
import org.transfer4j.train.FineTuneConfig;
import org.transfer4j.train.LearningRateFinder;
import org.transfer4j.train.TrainConfig;
import org.transfer4j.unlabeled.NearDuplicates;
import org.transfer4j.unlabeled.NeighbourIndex;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The default of every option, read from the library's configuration records so that each default is
 * stated once: {@code --epochs} is {@code TrainConfig.frozen().epochs()}, and so on. Keyed by the
 * option's longest name; a key {@code "COMMAND --option"} overrides it for one command. {@code --help}
 * shows these values ({@code Default: ${DEFAULT-VALUE}}).
 */
final class Defaults implements IDefaultValueProvider {

    private static final Map<String, String> VALUES = values();

    private static Map<String, String> values() {
        TrainConfig train = TrainConfig.frozen();
        FineTuneConfig fineTune = FineTuneConfig.defaults();
        LearningRateFinder.Options lrFind = LearningRateFinder.Options.defaults();
        Map<String, String> v = new TreeMap<>();
        v.put("--backbone", Transfer.DEFAULT_BACKBONE);
        v.put("--test-split", number(Transfer.DEFAULT_TEST_SPLIT));
        v.put("--val-split", number(Transfer.DEFAULT_VAL_SPLIT));
        v.put("--seed", String.valueOf(train.seed()));
        v.put("--device", "cpu");
        v.put("--max-pixels", String.valueOf(DecodeOptions.defaults().maxPixels()));

        v.put("--head", train.head().text());
        v.put("--dropout", number(train.head().dropout()));
        v.put("--epochs", String.valueOf(train.epochs()));
        v.put("--batch-size", String.valueOf(train.batchSize()));
        v.put("--lr", number(train.learningRate()));
        v.put("--optimizer", train.optimizer());
        v.put("--weight-decay", number(train.weightDecay()));
        v.put("--schedule", train.schedule().kind());
        v.put("--warmup", number(train.schedule().warmup()));
        v.put("--class-weights", train.classWeights() ? "auto" : "none");
        v.put("--label-smoothing", number(train.labelSmoothing()));
        v.put("--augment", Augmentation.NONE.name());
        v.put("--unknown-rate", number(org.transfer4j.model.OpenSetRule.DEFAULT_RATE));
        v.put("--semi", org.transfer4j.semi.SemiMethod.DEFAULT.option());
        v.put("--precision", "fp32");
        v.put("--calibration", org.transfer4j.exec.Calibration.Settings.defaults().method().name().toLowerCase(java.util.Locale.ROOT));
        v.put("--calibration-images", String.valueOf(org.transfer4j.exec.Calibration.Settings.DEFAULT_IMAGES));
        v.put("suggest --n", "20");
        v.put("--aug-views", "0"); // Transfer.augment(preset): one view per epoch of the augmented stage

        v.put("--mode", "frozen"); // Transfer.frozen(), the default recipe
        v.put("--unfreeze", String.valueOf(fineTune.unfreeze()));
        v.put("--finetune-epochs", String.valueOf(fineTune.epochs()));
        v.put("--finetune-lr", number(fineTune.learningRate()));
        v.put("--backbone-lr-mult", number(fineTune.backboneLrMult()));
        v.put("--freeze-bn", String.valueOf(fineTune.freezeBn()));
        v.put("--patience", String.valueOf(fineTune.patience()));

        v.put("--min-lr", number(lrFind.minLr()));
        v.put("--max-lr", number(lrFind.maxLr()));
        v.put("--steps", String.valueOf(lrFind.steps()));

        v.put("--near-distance", String.valueOf(DuplicateFinder.DEFAULT_MAX_DISTANCE));
        v.put("cluster --k", "auto");
        v.put("--min-cosine", String.valueOf(NearDuplicates.DEFAULT_MIN_COSINE));
        v.put("similar --k", String.valueOf(NeighbourIndex.DEFAULT_K));
        v.put("classify --top", "5");
        v.put("predict --top", "1");
        v.put("explain --out", "gradcam");
        org.transfer4j.serve.ModelServer.Options serve = org.transfer4j.serve.ModelServer.Options.defaults();
        v.put("--host", serve.host());
        v.put("--port", String.valueOf(serve.port()));
        v.put("--max-batch", String.valueOf(serve.maxBatch()));
        v.put("--max-delay-ms", String.valueOf(serve.maxDelayMs()));
        v.put("--queue", String.valueOf(serve.queue()));
        v.put("--max-bytes", String.valueOf(serve.maxBytes()));
        v.put("--workers", String.valueOf(serve.workers()));
        return v;
    }

    /** A float as its shortest decimal: 0.001, 1E-7, 10, 0 (not 0.0010000000474974513 or 1.0E-4). */
    private static String number(float value) {
        return number(new BigDecimal(Float.toString(value)));
    }

    private static String number(double value) {
        return number(new BigDecimal(Double.toString(value)));
    }

    private static String number(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.toPlainString() : stripped.toString();
    }

    /**
     * The default of an option, or null when it has none (an absent {@code --out} or {@code --threads}
     * means "decide at run time", as each description says).
     */
    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        String name = option.longestName();
        String command = option.command() == null ? null : option.command().name();
        return VALUES.getOrDefault(command + " " + name, VALUES.get(name));
    }

    /** The default of an option by name, for commands and tests: {@code of("--epochs")} is "10". */
    static String of(String optionName) {
        return VALUES.get(optionName);
    }
}
