package org.transfer4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.transfer4j.DatasetFeatures;
import org.transfer4j.Transfer;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.report.Plots;
import org.transfer4j.report.ReportWriter;
import org.transfer4j.train.LearningRateFinder;
import org.transfer4j.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transfer4j lr-find}: the learning-rate range test on a folder's cached backbone features. */
@Command(name = "lr-find", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Learning-rate range test: train a fresh head on the frozen backbone's features while the "
                + "learning rate grows exponentially, plot the loss against the rate (lr-find.png, lr-find.json) "
                + "and suggest a rate for 'train --lr'.")
final class LrFindCommand implements Callable<Integer> {

    /** Name of the plot in the output folder. */
    static final String PLOT = "lr-find.png";
    /** Name of the recorded curve and suggestion in the output folder. */
    static final String DATA = "lr-find.json";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DATA", description = "The image folder.")
    Path data;

    @Mixin
    WeightOptions weights;

    @Mixin
    HeadOptions head;

    @Option(names = "--min-lr", description = "First learning rate. Default: ${DEFAULT-VALUE}.")
    double minLr;

    @Option(names = "--max-lr", description = "Last learning rate. Default: ${DEFAULT-VALUE}.")
    double maxLr;

    @Option(names = "--steps", description = "Mini-batch steps of the test. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Mixin
    SplitOptions split;

    @Mixin
    ReadOptions reading;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write lr-find.png and lr-find.json. Default: runs/lr-find-<dataset>-<time>/.")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON instead of one line.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        weights.validate();
        split.validate();
        reading.validate();
        TrainConfig config = Usage.map(spec, () -> head.applyTo(TrainConfig.frozen()).withSeed(split.seed));
        LearningRateFinder.Options options = Usage.map(spec, () -> new LearningRateFinder.Options(minLr, maxLr, steps));
        Transfer run = Transfer.from(data).backbone(weights.backbone).weights(weights.weightsFile)
                .weightsDir(weights.weightsDir).config(config);
        split.applyTo(run);
        reading.applyTo(run);
        DatasetFeatures features = run.features();
        LearningRateFinder.Result result = new LearningRateFinder(config, options)
                .find(features.backbone().graph(), features.train(), features.numClasses());
        Path target = out != null ? out : defaultOut();
        Map<String, Object> record = record(result, config, options, features);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(PLOT, Plots.learningRateCurve(result));
        files.put(DATA, ModelBundle.json().writeValueAsBytes(record));
        ReportWriter.save(target, files);
        System.err.println("plot and curve written to " + target.resolve(PLOT) + " and " + target.resolve(DATA));
        if (json) {
            ObjectMapper compact = ModelBundle.json().copy().disable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(compact.writeValueAsString(record));
        } else {
            System.out.println(String.format(Locale.ROOT, "suggested learning rate %.1e (%s)", result.suggestion(),
                    result.rule()));
        }
        return 0;
    }

    private Map<String, Object> record(LearningRateFinder.Result result, TrainConfig config,
                                       LearningRateFinder.Options options, DatasetFeatures features) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("suggestion", result.suggestion());
        r.put("rule", result.rule());
        r.put("diverged", result.diverged());
        r.put("dataset", data.toAbsolutePath().normalize().toString());
        r.put("backbone", features.backbone().set().id());
        r.put("trainImages", features.train().size());
        r.put("head", config.head().text());
        r.put("dropout", config.head().dropout());
        r.put("optimizer", config.optimizer());
        r.put("batchSize", config.batchSize());
        r.put("seed", config.seed());
        r.put("minLr", options.minLr());
        r.put("maxLr", options.maxLr());
        r.put("steps", options.steps());
        r.put("rates", result.rates());
        r.put("losses", result.losses());
        r.put("smoothedLosses", result.smoothed());
        return r;
    }

    private Path defaultOut() {
        String name = "lr-find-" + data.toAbsolutePath().normalize().getFileName() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", name);
    }
}
