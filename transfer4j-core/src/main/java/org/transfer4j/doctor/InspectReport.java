package org.transfer4j.doctor;

import java.util.List;
import java.util.Map;

/**
 * What {@code transfer4j inspect} found in a dataset: counts, image statistics, unreadable files,
 * duplicates and the resulting findings. Immutable; {@link ReportText} renders it for people, Jackson
 * for machines ({@code --json}).
 *
 * @param root the dataset folder
 * @param layout how the split was made, e.g. "folders train/ and val/"
 * @param classes class names, sorted (empty class folders are not classes)
 * @param counts readable images per split ("train", "test"), then per class
 * @param widths stored widths of the readable images
 * @param heights stored heights of the readable images
 * @param formats readable images per format (from their bytes), e.g. JPEG 998, PNG 2
 * @param kinds readable images per oddity: grey, alpha, CMYK, 16-bit, palette, animated, EXIF-rotated,
 *     tiny, flat, misnamed (extension says another format)
 * @param imbalanceRatio largest over smallest training class (an empty class counts as 1 image)
 * @param unreadable files that training cannot use, with the reason
 * @param duplicates exact and near-duplicate pairs
 * @param findings what it means and what to do, most serious first
 */
public record InspectReport(String root, String layout, List<String> classes, Map<String, Map<String, Integer>> counts,
                            Stats widths, Stats heights, Map<String, Integer> formats, Map<String, Integer> kinds,
                            double imbalanceRatio, List<Unreadable> unreadable, List<Duplicate> duplicates,
                            List<Finding> findings) {

    public InspectReport {
        classes = List.copyOf(classes);
        counts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts));
        unreadable = List.copyOf(unreadable);
        duplicates = List.copyOf(duplicates);
        findings = List.copyOf(findings);
    }

    /** Minimum, median and maximum of a size; all 0 when there is nothing to measure. */
    public record Stats(int min, int median, int max) {

        static Stats of(int[] values) {
            if (values.length == 0) {
                return new Stats(0, 0, 0);
            }
            int[] v = values.clone();
            java.util.Arrays.sort(v);
            return new Stats(v[0], v[v.length / 2], v[v.length - 1]);
        }
    }

    /** A file training cannot use, relative to the dataset folder, and why. */
    public record Unreadable(String path, String reason) {
    }

    /**
     * Two copies of one photo.
     *
     * @param first a file, relative to the dataset folder
     * @param second the other
     * @param distance Hamming distance of the perceptual hashes (0 for exact)
     * @param exact byte-identical
     * @param acrossSplit one is in train, the other in test: leakage
     * @param acrossClasses they are in different classes: conflicting labels
     */
    public record Duplicate(String first, String second, int distance, boolean exact, boolean acrossSplit,
                            boolean acrossClasses) {
    }

    /** This report with one more finding (e.g. near duplicates by embedding, found outside the doctor). */
    public InspectReport withFinding(Finding finding) {
        List<Finding> more = new java.util.ArrayList<>(findings);
        more.add(finding);
        return new InspectReport(root, layout, classes, counts, widths, heights, formats, kinds, imbalanceRatio,
                unreadable, duplicates, more);
    }

    /** Whether any finding distorts training or evaluation ({@code --strict} fails then). */
    public boolean hasProblems() {
        return findings.stream().anyMatch(Finding::distorts);
    }

    /** Duplicate pairs with one copy in each split. */
    public List<Duplicate> leaks() {
        return duplicates.stream().filter(Duplicate::acrossSplit).toList();
    }
}
