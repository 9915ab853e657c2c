package org.transfer4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.transfer4j.doctor.DataDoctor;
import org.transfer4j.doctor.DoctorOptions;
import org.transfer4j.doctor.Finding;
import org.transfer4j.doctor.InspectReport;
import org.transfer4j.doctor.ReportText;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.unlabeled.Embeddings;
import org.transfer4j.data.ImageTree;
import org.transfer4j.unlabeled.NearDuplicates;
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
            + "reported (provisional, not yet calibrated). Default: ${DEFAULT-VALUE}.")
    double minCosine;

    @Mixin
    WeightOptions weights;

    /** The pairs of images with similar embeddings, as one finding. */
    private Finding nearContent() {
        Embeddings e = EmbedCommand.embedder(weights, reading).embed(ImageTree.scan(data));
        List<NearDuplicates.Pair> pairs = NearDuplicates.find(e, minCosine);
        List<String> files = new ArrayList<>();
        long across = 0;
        for (NearDuplicates.Pair p : pairs) {
            Embeddings.Item a = e.items().get(p.first());
            Embeddings.Item b = e.items().get(p.second());
            across += a.classFolder().equals(b.classFolder()) ? 0 : 1;
            files.add(String.format(Locale.ROOT, "%s ~ %s (cosine %.3f)", a.path(), b.path(), p.cosine()));
        }
        String message = String.format(Locale.ROOT, "%d pair(s) of images have a cosine similarity of %s features of "
                + "%.2f or more (crops, flips, colour changes, re-encodings, or look-alikes), %d of them across "
                + "top-level folders; the threshold is provisional", pairs.size(), e.backbone(), minCosine, across);
        return new Finding(pairs.isEmpty() ? Finding.Severity.NOTE : Finding.Severity.WARNING, "near-content", message,
                files, "look at the pairs; delete copies, and keep every copy of a photo in one split");
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
        if (embeddings) {
            weights.validate();
            if (!(minCosine > 0 && minCosine <= 1)) {
                throw Usage.error(spec, "--min-cosine must be in (0, 1], got " + minCosine);
            }
        }
        InspectReport report = DataDoctor.inspect(data, options);
        if (embeddings) {
            report = report.withFinding(nearContent());
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
