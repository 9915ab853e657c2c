package org.transfer4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.transfer4j.Transfer;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.data.Sample;
import org.transfer4j.doctor.ContentDuplicates;
import org.transfer4j.doctor.DataDoctor;
import org.transfer4j.doctor.DoctorOptions;
import org.transfer4j.doctor.Finding;
import org.transfer4j.doctor.InspectReport;
import org.transfer4j.doctor.ReportText;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.unlabeled.Embeddings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transfer4j inspect}: the data doctor's report on an image folder. */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Check an image folder before training: counts, sizes, formats, unreadable files, "
                + "exact and near duplicates, leakage across the split, imbalance, with suggestions. "
                + "Exits 0 with warnings; with --strict, 1 when something would distort training or evaluation.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DATA", description = "The image folder.")
    Path data;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--strict", description = "Exit 1 when leakage, unreadable files, starved classes or extreme "
            + "imbalance would distort training or evaluation.")
    boolean strict;

    @Option(names = "--all", description = "List every file of every finding (default: the first 20).")
    boolean all;

    @Mixin
    ReadOptions reading;

    @Option(names = "--near-distance",
            description = "Near duplicates differ in at most this many of 128 perceptual-hash bits. Default: ${DEFAULT-VALUE}.")
    int nearDistance;

    // Not SplitOptions: the doctor checks the training images against the test split; it has no validation split.
    @Option(names = "--test-split", paramLabel = "SHARE",
            description = "Share of each class held out as the test split when DATA has no val/test folder, as train. "
                    + "Default: ${DEFAULT-VALUE}.")
    double testSplit;

    @Option(names = "--seed", description = "Seed of that split, as train. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--embeddings", description = "Also look for near duplicates by the cosine similarity of backbone "
            + "features (crops, flips, colour changes, re-encodings), through the feature cache.")
    boolean embeddings;

    @Option(names = "--min-cosine", description = "With --embeddings: the similarity from which two images are "
            + "reported (calibrated on edited copies in hymenoptera: see BENCHMARKS.md). Default: ${DEFAULT-VALUE}.")
    double minCosine;

    @Option(names = "--transfer", description = "Also check whether the pretrained features help on this folder "
            + "(negative transfer): kNN accuracy of the backbone's features against raw pixels on the training split, "
            + "and how ImageNet-like the images look to the source model. Uses the feature cache, as train does.")
    boolean transfer;

    @Mixin
    WeightOptions weights;

    /** The negative-transfer check, through the same feature extraction as train (its cache is reused). */
    private Finding transferCheck() {
        Transfer recipe = Transfer.from(data).backbone(weights.backbone).weights(weights.weightsFile)
                .weightsDir(weights.searchDir()).testSplit(testSplit).seed(seed).maxPixels(reading.maxPixels)
                .log(System.err);
        if (reading.threads != null) {
            recipe = recipe.threads(reading.threads);
        }
        return recipe.features().dataWarnings().stream().filter(f -> f.code().equals("transfer")).findFirst()
                .orElseThrow();
    }

    /** Leakage and near copies by the cosine similarity of embeddings, across and within the doctor's split. */
    private List<Finding> contentFindings() {
        ImageFolder folder = ImageFolder.scan(data, testSplit, seed);
        List<Path> files = Stream.concat(folder.train().stream(), folder.test().stream()).map(Sample::file).toList();
        Embeddings e = EmbedCommand.embedder(weights, reading).embed(folder.root(), files);
        return ContentDuplicates.findings(e, Set.copyOf(folder.testPaths()), minCosine);
    }

    @Override
    public Integer call() throws JsonProcessingException {
        reading.validate();
        DoctorOptions options = Usage.map(spec, () -> {
            SplitOptions.requireTestShare(testSplit);
            DoctorOptions o = DoctorOptions.defaults().withMaxPixels(reading.maxPixels).withNearDistance(nearDistance)
                    .withSplit(testSplit, seed);
            return reading.threads == null ? o : o.withThreads(reading.threads);
        });
        if (embeddings || transfer) {
            weights.validate();
        }
        if (embeddings) {
            if (!(minCosine > 0 && minCosine <= 1)) {
                throw Usage.error(spec, "--min-cosine must be in (0, 1], got " + minCosine);
            }
        }
        InspectReport report = DataDoctor.inspect(data, options);
        if (embeddings) {
            for (Finding f : contentFindings()) {
                report = report.withFinding(f);
            }
        }
        if (transfer) {
            report = report.withFinding(transferCheck());
        }
        if (json) {
            System.out.println(ModelBundle.json().writeValueAsString(report));
        } else {
            System.out.print(ReportText.of(report, all));
        }
        if (strict && report.hasProblems()) {
            long n = report.findings().stream().filter(Finding::distorts).count();
            System.err.println("transfer4j: --strict: " + n + " finding(s) would distort training or evaluation");
            return Main.FAILED;
        }
        return 0;
    }
}
