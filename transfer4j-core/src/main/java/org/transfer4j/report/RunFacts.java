package org.transfer4j.report;

import java.util.List;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.RunRecord;
import org.transfer4j.train.EpochStats;

/**
 * What a report reads from a bundle's manifest beyond its plain fields: the epoch history, images
 * per class and split (from the saved splits' paths) and timings.
 */
record RunFacts(List<EpochStats> history, int[] trainCounts, int[] validationCounts, int[] testCounts,
                double featureSeconds, double trainingSeconds, RunRecord run) {

    static RunFacts of(Manifest manifest) {
        RunRecord run = manifest.run();
        List<EpochStats> history = run == null ? List.of() : run.history();
        Manifest.SplitInfo split = manifest.training() == null ? null : manifest.training().split();
        List<String> classes = manifest.classes();
        int[] none = new int[classes.size()];
        return new RunFacts(history,
                split == null ? none : countPerClass(split.train(), classes),
                split == null ? none : countPerClass(split.validation(), classes),
                split == null ? none : countPerClass(split.test(), classes),
                run == null || run.timings() == null ? Double.NaN : run.timings().featureSeconds(),
                run == null || run.timings() == null ? Double.NaN : run.timings().trainingSeconds(), run);
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
