package org.transfer4j.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.transfer4j.DatasetFeatures;
import org.transfer4j.Transfer;
import org.transfer4j.data.DatasetException;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.report.RankChart;
import org.transfer4j.report.ReportWriter;
import org.transfer4j.select.BackboneRanking;
import org.transfer4j.select.BackboneRanking.Candidate;
import org.transfer4j.select.FeatureFile;
import org.transfer4j.select.KnnAccuracy;
import org.transfer4j.select.LogMe;
import org.transfer4j.weights.WeightRegistry;
import org.transfer4j.weights.WeightSet;
import org.transfer4j.weights.WeightStore;
import org.transfer4j.weights.WeightsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code transfer4j rank}: scores backbones on a folder's training images (or on precomputed
 * features) before any training, and recommends one by {@link BackboneRanking#RECOMMENDED_RULE}.
 */
@Command(name = "rank", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Rank backbones for a folder before training: per backbone, LogME and the leave-one-out kNN "
                + "accuracy of its features on the training images (train + validation; the test split is never "
                + "scored), its ImageNet top-1, feature width, images/s and seconds. Prints a table in recommended "
                + "order, writes rank.json and rank.png. The recommendation follows LogME, the score that ranked best in bench/rank.sh.")
final class RankCommand implements Callable<Integer> {

    /** Exit code of bad input (a usage error). */
    static final int USAGE = 2;
    /** Name of the recorded ranking in the output folder. */
    static final String JSON = "rank.json";
    /** Name of the chart in the output folder. */
    static final String CHART = "rank.png";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DATA", arity = "0..1", description = "The image folder (or give --features).")
    Path data;

    @Option(names = "--backbones", paramLabel = "LIST", defaultValue = "local",
            description = "Comma-separated backbones (a weight set pinned as NAME:TAG), or 'local': every weight set on this machine "
                    + "(--weights-dir, TRANSFER4J_WEIGHTS, the cache). Default: ${DEFAULT-VALUE}.")
    String backbones;

    @Mixin
    WeightOptions weights;

    @Option(names = "--features", paramLabel = "X.npy",
            description = "Score precomputed features instead of DATA: a 2-D float32/float64 .npy, one row per image. "
                    + "Repeat to compare several.")
    List<Path> features;

    @Option(names = "--labels", paramLabel = "FILE", description = "With --features: one integer label per line.")
    Path labels;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the split (as 'train --seed'), so the same test images are left out. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Decoding and inference threads. Default: all cores.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write rank.json and rank.png. Default: runs/rank-<dataset>-<time>/.")
    Path out;

    @Option(names = "--json", description = "Print the ranking as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        try {
            return rank();
        } catch (IllegalArgumentException | DatasetException e) {
            spec.commandLine().getErr().println("transfer4j: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return USAGE;
        }
    }

    private int rank() throws IOException {
        var parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedOption("--backbone") || parsed.hasMatchedOption("--weights")) {
            throw new IllegalArgumentException("rank takes --backbones LIST (comma-separated) and --weights-dir DIR, "
                    + "not --backbone or --weights");
        }
        boolean fromFiles = features != null && !features.isEmpty();
        if (fromFiles == (data != null)) {
            throw new IllegalArgumentException(fromFiles ? "give DATA or --features, not both"
                    : "give an image folder DATA, or --features X.npy --labels y.txt");
        }
        if (fromFiles != (labels != null)) {
            throw new IllegalArgumentException(fromFiles ? "--features needs --labels FILE (one integer label per line)"
                    : "--labels goes with --features; an image folder's labels are its class folders");
        }
        Map<String, Object> record = new LinkedHashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        List<Map<String, String>> failed = new ArrayList<>();
        if (fromFiles) {
            int[] y = FeatureFile.readLabels(labels);
            record.put("features", features.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
            record.put("labels", labels.toAbsolutePath().normalize().toString());
            for (Path file : features) {
                long start = System.nanoTime();
                double[][] x = FeatureFile.readNpy(file);
                if (x.length != y.length) {
                    throw new IllegalArgumentException(file + " has " + x.length + " rows but " + labels + " has "
                            + y.length + " labels; give one label per feature row");
                }
                candidates.add(score(file.getFileName().toString(), file.toString(), x, y, Double.NaN, Double.NaN, start));
            }
        } else {
            record.put("dataset", data.toAbsolutePath().normalize().toString());
            record.put("seed", seed);
            record.put("split", "train + validation; the test split is not scored");
            record.put("timing", "seconds: features of every split (through the cache) and both scores, per backbone; "
                    + "images/s: images of every split over the feature seconds, cache hits included");
            for (String name : backboneNames()) {
                try {
                    candidates.add(fromFolder(name));
                } catch (WeightsException e) {
                    System.err.println("transfer4j: skipping " + name + ": " + e.getMessage());
                    Map<String, String> failure = new LinkedHashMap<>();
                    failure.put("backbone", name);
                    failure.put("error", String.valueOf(e.getMessage()));
                    failed.add(failure);
                }
            }
            if (candidates.isEmpty()) {
                throw new WeightsException("no backbone could be scored; the reasons are above");
            }
        }
        BackboneRanking.Result result = new BackboneRanking().rank(candidates);
        record.putAll(RankOutput.record(result, failed));
        Path target = out != null ? out : defaultOut();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(JSON, ModelBundle.json().writeValueAsBytes(record));
        files.put(CHART, RankChart.png(result));
        ReportWriter.save(target, files);
        System.err.println("ranking and chart written to " + target.resolve(JSON) + " and " + target.resolve(CHART));
        if (json) {
            System.out.println(ModelBundle.json().copy().disable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(record));
        } else {
            RankOutput.printTable(System.out, result);
        }
        return 0;
    }

    /** The backbones to score: the list given, or each one with weights on this machine. */
    private List<String> backboneNames() {
        if (!backbones.equals("local")) {
            List<String> names = Arrays.stream(backbones.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .distinct().toList();
            if (names.isEmpty()) {
                throw new IllegalArgumentException("--backbones is empty; give names (see 'transfer4j backbones') or 'local'");
            }
            for (String name : names) {
                try {
                    WeightRegistry.setsOf(name);
                } catch (WeightsException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
            return names;
        }
        WeightStore store = weights.store();
        List<String> local = new ArrayList<>();
        for (String name : WeightRegistry.backbones()) {
            List<String> here = new ArrayList<>();
            for (WeightSet set : WeightRegistry.setsOf(name)) {
                WeightStore.Status status = store.status(set);
                if (status == WeightStore.Status.LOCAL || status == WeightStore.Status.CACHED
                        || status == WeightStore.Status.EMBEDDED) {
                    here.add(set.id());
                }
            }
            // one weight set here: the plain name; several: each pinned, so that all are ranked
            if (here.size() == 1) {
                local.add(name);
            } else {
                local.addAll(here);
            }
        }
        if (local.isEmpty()) {
            throw new WeightsException("no backbone has weights on this machine; point --weights-dir (or "
                    + "TRANSFER4J_WEIGHTS) at a folder of weight files, or name --backbones to download");
        }
        System.err.println("backbones with weights here: " + String.join(", ", local));
        return local;
    }

    private Candidate fromFolder(String name) {
        long start = System.nanoTime();
        Transfer run = Transfer.from(data).backbone(name).weightsDir(weights.weightsDir).seed(seed);
        if (threads != null) {
            run.threads(threads);
        }
        DatasetFeatures f = run.features();
        // train + validation only: the test split is left for the final scoring of a trained model
        float[][] x = concat(f.train().features(), f.validation().features());
        int[] y = new int[x.length];
        System.arraycopy(f.train().labels(), 0, y, 0, f.train().size());
        System.arraycopy(f.validation().labels(), 0, y, f.train().size(), f.validation().size());
        int extracted = f.folder().train().size() + f.folder().validation().size() + f.folder().test().size();
        double imagesPerSecond = f.featureSeconds() > 0 ? extracted / f.featureSeconds() : Double.NaN;
        double[][] rows = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            rows[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                rows[i][j] = x[i][j];
            }
        }
        return score(name, f.backbone().set().id(), rows, y, f.backbone().set().top1(), imagesPerSecond, start);
    }

    private static Candidate score(String name, String weightsId, double[][] x, int[] y, double top1,
                                   double imagesPerSecond, long start) {
        double logMe = new LogMe().fit(x, y).score();
        double knn = new KnnAccuracy().fit(x, y).accuracy();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "%s: LogME %.4f, kNN accuracy %.4f on %d images (%.1f s)%n", name, logMe, knn,
                x.length, seconds);
        return new Candidate(name, weightsId, x[0].length, x.length, logMe, knn, top1, imagesPerSecond, seconds);
    }

    private static float[][] concat(float[][] a, float[][] b) {
        float[][] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private Path defaultOut() {
        String what = data != null ? data.toAbsolutePath().normalize().getFileName().toString() : "features";
        return Path.of("runs", "rank-" + what + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
