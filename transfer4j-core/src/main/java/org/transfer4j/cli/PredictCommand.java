package org.transfer4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.model.Prediction;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transfer4j predict}: labels and probabilities for images with a trained model. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the class of images (files or folders, searched recursively) with a trained model.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model folder written by 'train'.")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders.")
    List<Path> inputs;

    @picocli.CommandLine.Mixin
    BundlePrecision precision;

    @Option(names = "--top", description = "Classes per image. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--threshold", paramLabel = "DISTANCE",
            description = "Call an image unknown above this distance to the nearest class centroid, instead of the "
                    + "threshold the model was trained with.")
    Double threshold;

    @Option(names = "--no-unknown", description = "Never answer unknown (always the most probable class).")
    boolean noUnknown;

    @ArgGroup(exclusive = true)
    Format format = new Format();

    @picocli.CommandLine.Mixin
    DeviceOption device;

    static final class Format {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Option(names = "--csv", description = "Print CSV: image,label,probability,unknown,distance (one row per "
                + "class of --top; unknown and distance are empty for a model without an unknown rule).")
        boolean csv;
    }

    @Override
    public Integer call() throws IOException {
        if (top < 1) {
            throw Usage.error(spec, "--top must be at least 1, got " + top);
        }
        if (threshold != null && (noUnknown || !(threshold >= 0))) {
            throw Usage.error(spec, noUnknown ? "--threshold and --no-unknown exclude each other: give one"
                    : "--threshold must be a distance of 0 or more, got " + threshold);
        }
        Usage.check(spec, () -> precision.check(model));
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                            .sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        org.transfer4j.exec.Device used = device.resolve(false);
        int failures = 0;
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ImageClassifier classifier = withRule(ImageClassifier.load(model, used))) {
            if (format.csv) {
                System.out.println("image,label,probability,unknown,distance");
            }
            for (Path f : files) {
                Prediction p;
                try {
                    p = classifier.predict(f);
                } catch (IOException e) {
                    System.err.println("transfer4j: skipped " + e.getMessage());
                    failures++;
                    continue;
                }
                List<Prediction.Scored> best = p.top().subList(0, Math.min(top, p.top().size()));
                if (format.json) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("image", f.toString());
                    row.put("label", p.label());
                    row.put("probability", p.probability());
                    row.put("top", best);
                    if (p.verdict() != null) {
                        row.put("unknown", p.isUnknown());
                        row.put("unknownScore", p.verdict().score());
                        row.put("threshold", p.verdict().threshold());
                        row.put("nearestClass", p.verdict().nearestClass());
                    }
                    rows.add(row);
                } else if (format.csv) {
                    String verdict = p.verdict() == null ? ","
                            : String.format(Locale.ROOT, "%b,%.6f", p.isUnknown(), p.verdict().score());
                    for (Prediction.Scored s : best) {
                        System.out.printf(Locale.ROOT, "%s,%s,%.6f,%s%n", csv(f.toString()), csv(s.label()),
                                s.probability(), verdict);
                    }
                } else {
                    StringBuilder line = new StringBuilder(f.toString());
                    if (p.isUnknown()) {
                        line.append(String.format(Locale.ROOT, "  unknown (distance %.4f > %.4f, nearest %s)",
                                p.verdict().score(), p.verdict().threshold(), p.verdict().nearestClass()));
                    }
                    for (Prediction.Scored s : best) {
                        line.append(String.format(Locale.ROOT, "  %s %.4f", s.label(), s.probability()));
                    }
                    System.out.println(line);
                }
            }
        }
        if (format.json) {
            System.out.println(ModelBundle.json().writeValueAsString(rows));
        }
        return failures == 0 ? 0 : Main.FAILED;
    }

    /** The model with the unknown rule the options ask for. */
    private ImageClassifier withRule(ImageClassifier loaded) {
        if (noUnknown) {
            return loaded.withUnknownRule(null);
        }
        if (threshold == null) {
            return loaded;
        }
        if (loaded.unknownRule() == null) {
            loaded.close();
            throw Usage.error(spec, "--threshold: " + model + " has no unknown rule (trained without a validation split "
                    + "or by an older transfer4j); train it again to get one");
        }
        return loaded.withUnknownRule(loaded.unknownRule().withThreshold(threshold));
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
