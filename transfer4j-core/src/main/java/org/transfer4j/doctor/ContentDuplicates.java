package org.transfer4j.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.transfer4j.unlabeled.Embeddings;
import org.transfer4j.unlabeled.NearDuplicates;

/**
 * The data doctor's findings from embeddings ({@code inspect --embeddings}): pairs of images whose
 * backbone features have a cosine similarity at or above a threshold ({@link NearDuplicates}), which finds
 * crops, flips, colour changes and re-encodings that the perceptual hash misses. A pair with one image in
 * the test split and one in training is leakage ({@code leakage-content}, a problem); a pair within a split
 * is a warning ({@code near-content}). Each listed pair carries its similarity.
 */
public final class ContentDuplicates {

    private ContentDuplicates() {
    }

    /**
     * The findings for the pairs at or above {@code minCosine}; a note when there is none.
     *
     * @param e embeddings of the data set's images, paths relative to its folder
     * @param testPaths the test split's files, relative to the same folder with '/' separators
     */
    public static List<Finding> findings(Embeddings e, Set<String> testPaths, double minCosine) {
        List<NearDuplicates.Pair> pairs = NearDuplicates.find(e, minCosine);
        List<String> across = new ArrayList<>();
        List<String> within = new ArrayList<>();
        for (NearDuplicates.Pair p : pairs) {
            String a = e.items().get(p.first()).path();
            String b = e.items().get(p.second()).path();
            boolean aTest = testPaths.contains(a);
            boolean bTest = testPaths.contains(b);
            String test = aTest ? a : b;
            String train = aTest ? b : a;
            if (aTest != bTest) {
                across.add(String.format(Locale.ROOT, "%s ~ %s (cosine %.3f)", train, test, p.cosine()));
            } else {
                within.add(String.format(Locale.ROOT, "%s ~ %s (cosine %.3f)", a, b, p.cosine()));
            }
        }
        String how = "a cosine similarity of " + e.backbone() + " features of " + minCosine + " or more";
        List<Finding> findings = new ArrayList<>();
        if (!across.isEmpty()) {
            findings.add(new Finding(Finding.Severity.PROBLEM, "leakage-content", across.size() + " test image(s) have "
                    + how + " with a training image (crops, flips, colour changes, re-encodings of one photo): test "
                    + "accuracy is inflated", across, "look at the pairs; delete the test copies or move them to train"));
        }
        if (!within.isEmpty()) {
            findings.add(new Finding(Finding.Severity.WARNING, "near-content", within.size() + " pair(s) of images "
                    + "in the same split have " + how + " (edited copies or look-alikes)", within,
                    "look at the pairs; delete copies you do not want to weigh twice"));
        }
        if (findings.isEmpty()) {
            findings.add(new Finding(Finding.Severity.NOTE, "near-content", "no pair of images has " + how, List.of(),
                    "nothing to do"));
        }
        return findings;
    }
}
