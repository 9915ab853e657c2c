package org.transfer4j.report;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.train.EpochStats;

/**
 * What a report reads from a bundle's manifest beyond its plain fields: the epoch history, images
 * per class and split (from the saved split's paths) and timings.
 */
record RunFacts(List<EpochStats> history, int[] trainCounts, int[] testCounts, double featureSeconds,
                double trainingSeconds) {

    /** Metric key of the feature-extraction time in seconds, written by training. */
    static final String FEATURE_SECONDS = "featureSeconds";

    static RunFacts of(Manifest manifest) {
        Map<String, Object> metrics = manifest.metrics() == null ? Map.of() : manifest.metrics();
        Object raw = metrics.get("history");
        List<EpochStats> history = raw == null ? List.of()
                : ModelBundle.json().convertValue(raw, new TypeReference<List<EpochStats>>() { });
        double training = 0;
        for (EpochStats e : history) {
            training += e.seconds();
        }
        Object features = metrics.get(FEATURE_SECONDS);
        Manifest.SplitInfo split = manifest.training() == null ? null : manifest.training().split();
        List<String> classes = manifest.classes();
        return new RunFacts(history,
                split == null ? new int[classes.size()] : countPerClass(split.train(), classes),
                split == null ? new int[classes.size()] : countPerClass(split.test(), classes),
                features instanceof Number n ? n.doubleValue() : Double.NaN, training);
    }

    /** Images per class of a saved split: a path's class is its first folder named after a class. */
    static int[] countPerClass(List<String> paths, List<String> classes) {
        int[] counts = new int[classes.size()];
        for (String path : paths == null ? List.<String>of() : paths) {
            String[] parts = path.split("/");
            for (int i = 0; i < parts.length - 1; i++) {
                int c = classes.indexOf(parts[i]);
                if (c >= 0) {
                    counts[c]++;
                    break;
                }
            }
        }
        return counts;
    }

    static int sum(int[] counts) {
        int s = 0;
        for (int c : counts) {
            s += c;
        }
        return s;
    }
}
