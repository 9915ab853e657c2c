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
import org.transfer4j.train.HeadSpec;
import org.transfer4j.train.LearningRateFinder;
import org.transfer4j.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @Parameters(paramLabel = "DATA", description = "The image folder.")
    Path data;

    @Mixin
    WeightOptions weights;

    @Option(names = "--head", defaultValue = "500", description = "Hidden widths of the head (500, 512,256) or 'linear'. Default: ${DEFAULT-VALUE}.")
    String head;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--batch-size", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--min-lr", defaultValue = "1e-7", description = "First learning rate. Default: ${DEFAULT-VALUE}.")
    double minLr;

    @Option(names = "--max-lr", defaultValue = "10", description = "Last learning rate. Default: ${DEFAULT-VALUE}.")
    double maxLr;

    @Option(names = "--steps", defaultValue = "100", description = "Mini-batch steps of the test. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--val-split", defaultValue = "0.2",
            description = "Share of each class held out when DATA has no val/test folder. Default: ${DEFAULT-VALUE}.")
    double valSplit;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Decoding and inference threads. Default: all cores.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write lr-find.png and lr-find.json. Default: runs/lr-find-<dataset>-<time>/.")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON instead of one line.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        TrainConfig config = TrainConfig.frozen().withHead(HeadSpec.parse(head, 0f))
                .withOptimizer(optimizer.toLowerCase(Locale.ROOT)).withBatchSize(batchSize).withSeed(seed);
        LearningRateFinder.Options options = new LearningRateFinder.Options(minLr, maxLr, steps);
        Transfer run = Transfer.from(data).backbone(weights.backbone).weights(weights.weightsFile)
                .weightsDir(weights.weightsDir).config(config).valSplit(valSplit);
        if (threads != null) {
            run.threads(threads);
        }
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
