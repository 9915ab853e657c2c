package org.transfer4j.doctor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.transfer4j.doctor.Finding.Severity;
import org.transfer4j.doctor.InspectReport.Duplicate;
import org.transfer4j.doctor.InspectReport.Unreadable;

/** Turns what was measured about a dataset into findings with suggestions. */
final class FindingRules {

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile(
            "(?i)(not[ _-]?found|placeholder|unavailable|no[ _-]?image|missing|removed|deleted)");

    private final DoctorOptions options;
    private final List<Finding> out = new ArrayList<>();

    FindingRules(DoctorOptions options) {
        this.options = options;
    }

    /** Findings sorted by severity (problems first). */
    List<Finding> findings() {
        List<Finding> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing(Finding::severity));
        return sorted;
    }

    void unreadable(List<Unreadable> files) {
        List<Unreadable> emptyClasses = files.stream().filter(u -> u.reason().startsWith("empty class folder")).toList();
        List<Unreadable> rest = files.stream().filter(u -> !emptyClasses.contains(u)).toList();
        if (!emptyClasses.isEmpty()) {
            add(Severity.PROBLEM, "empty-class", emptyClasses.size() + " class folder(s) hold no files and are left out",
                    emptyClasses.stream().map(u -> u.path() + ": " + u.reason()).toList(),
                    "add images to each of them, or remove the folders so the classes are not expected");
        }
        if (!rest.isEmpty()) {
            add(Severity.PROBLEM, "unreadable", rest.size() + " file(s) cannot be used and are skipped by train",
                    rest.stream().map(u -> u.path() + ": " + u.reason()).toList(),
                    "fix, re-download or delete them; each line says what is wrong");
        }
    }

    void classCounts(List<String> classes, int[] train, int[] test, boolean hasTestFolder) {
        List<String> starved = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            if (train[c] < options.minImagesPerClass() || (hasTestFolder && test[c] == 0)) {
                starved.add(classes.get(c) + " (" + train[c] + " train, " + test[c] + " test)");
            }
        }
        if (!starved.isEmpty()) {
            add(Severity.PROBLEM, "few-images", starved.size() + " class(es) have fewer than "
                    + options.minImagesPerClass() + " training images or no test images", starved,
                    "collect more images for them, or merge or drop those classes");
        }
        double ratio = imbalance(train);
        if (ratio > options.maxImbalance()) {
            add(Severity.PROBLEM, "imbalance", String.format(Locale.ROOT,
                    "extreme class imbalance: the largest training class is %.1f× the smallest", ratio), List.of(),
                    "collect more images of the small classes, or undersample the large ones; judge the model by "
                            + "balanced accuracy, not accuracy");
        } else if (ratio >= 3) {
            add(Severity.WARNING, "imbalance", String.format(Locale.ROOT,
                    "class imbalance: the largest training class is %.1f× the smallest", ratio), List.of(),
                    "judge the model by balanced accuracy and per-class recall, not accuracy alone");
        }
    }

    static double imbalance(int[] train) {
        int max = 0;
        int min = Integer.MAX_VALUE;
        for (int n : train) {
            max = Math.max(max, n);
            min = Math.min(min, n);
        }
        return train.length == 0 ? 1 : (double) max / Math.max(min, 1); // finite, so that JSON can hold it
    }

    void duplicates(List<Duplicate> pairs) {
        List<Duplicate> exactLeaks = pairs.stream().filter(d -> d.acrossSplit() && d.exact()).toList();
        List<Duplicate> nearLeaks = pairs.stream().filter(d -> d.acrossSplit() && !d.exact()).toList();
        if (!exactLeaks.isEmpty()) {
            add(Severity.PROBLEM, "leakage-exact", exactLeaks.size() + " test image(s) are exact copies of training "
                    + "images: test accuracy is inflated", exactLeaks.stream().map(FindingRules::pair).toList(),
                    "delete the test copies (or move them to train) so the test split only holds unseen images");
        }
        if (!nearLeaks.isEmpty()) {
            add(Severity.PROBLEM, "leakage-near", nearLeaks.size() + " test image(s) are near copies (re-encoded, "
                    + "resized or slightly edited) of training images: test accuracy is inflated",
                    nearLeaks.stream().map(FindingRules::pair).toList(),
                    "look at the pairs; delete the test copies or move them to train");
        }
        List<Duplicate> conflicts = pairs.stream().filter(d -> !d.acrossSplit() && d.acrossClasses()).toList();
        if (!conflicts.isEmpty()) {
            add(Severity.WARNING, "label-conflict", conflicts.size() + " pair(s) of copies carry different labels",
                    conflicts.stream().map(FindingRules::pair).toList(), "keep each photo in its one right class");
        }
        List<Duplicate> within = pairs.stream().filter(d -> !d.acrossSplit() && !d.acrossClasses()).toList();
        if (!within.isEmpty()) {
            long exact = within.stream().filter(Duplicate::exact).count();
            add(Severity.WARNING, "duplicates", within.size() + " duplicate pair(s) within a split (" + exact
                    + " exact, " + (within.size() - exact) + " near): they weigh twice in training",
                    within.stream().map(FindingRules::pair).toList(), "delete the extra copies");
        }
    }

    void oddities(List<ImageFacts> readable, List<String> hidden) {
        oddity(readable, f -> f.shorterSide() > 0 && f.shorterSide() < options.tinySide(), Severity.WARNING, "tiny",
                "image(s) have a side under " + options.tinySide() + " pixels; they are upscaled to the backbone's input",
                "use larger originals if you have them; tiny images carry little detail for an ImageNet backbone");
        oddity(readable, f -> f.hash() != null && f.hash().contrast() < DuplicateFinder.MIN_CONTRAST, Severity.WARNING,
                "flat", "image(s) are blank or a single colour (placeholders?)", "delete placeholder images");
        oddity(readable, f -> PLACEHOLDER.matcher(f.path().substring(f.path().lastIndexOf('/') + 1)).find(),
                Severity.WARNING, "placeholder", "image(s) are named like a placeholder (\"image not found\", "
                        + "\"unavailable\", ...): a failed download saved as an image teaches the class nothing",
                "look at them and delete the placeholders");
        java.util.Map<String, Long> formats = readable.stream()
                .collect(java.util.stream.Collectors.groupingBy(ImageFacts::format, java.util.stream.Collectors.counting()));
        long dominant = formats.values().stream().mapToLong(Long::longValue).max().orElse(0);
        oddity(readable, f -> dominant > 0.9 * readable.size() && formats.get(f.format()) < 0.02 * readable.size(),
                Severity.NOTE, "format-outlier", "image(s) in a format that almost no other image of the dataset has "
                        + "(often a placeholder or a download of another kind)", "look at them");
        oddity(readable, f -> f.frames() > 1, Severity.NOTE, "animated",
                "animated GIF(s): only the first frame is used", "extract the frames you want as separate images");
        oddity(readable, f -> f.colour().equals("CMYK") || f.colour().equals("YCCK"), Severity.NOTE, "cmyk",
                "CMYK image(s): converted to RGB through their colour profile", "none needed; or convert them to sRGB");
        oddity(readable, f -> f.bitsPerSample() > 8, Severity.NOTE, "16-bit",
                "16-bit image(s): reduced to 8 bits per channel", "none needed");
        oddity(readable, f -> f.colour().equals("GRAY"), Severity.NOTE, "grey",
                "grey image(s): copied to the three colour channels", "none needed, unless the classes should differ in colour");
        oddity(readable, ImageFacts::alpha, Severity.NOTE, "alpha",
                "image(s) with transparency: alpha is dropped, transparent pixels keep the colour stored under them "
                        + "(as torchvision does)", "flatten them onto a background if the hidden colours are noise");
        oddity(readable, f -> f.exifOrientation() != 1, Severity.NOTE, "exif-rotated",
                "JPEG(s) with an EXIF rotation: turned upright as viewers show them (PIL and torchvision do not)",
                "none needed; rotate the pixels if other tools must see them upright");
        oddity(readable, ImageFacts::extensionMismatch, Severity.NOTE, "misnamed",
                "file(s) whose name says another format (e.g. a PNG named .jpg): read by content",
                "rename them if other tools must read them");
        oddity(readable, f -> f.shorterSide() > 0 && f.shorterSide() < DataDoctor.NEAR_MIN_SIDE, Severity.NOTE,
                "near-unchecked", "image(s) are under " + DataDoctor.NEAR_MIN_SIDE + " pixels: only exact copies are "
                        + "searched among them, as a copy and a look-alike are too close to tell apart at that size",
                "none needed; check for re-encoded copies by other means if the data was scraped");
        if (!hidden.isEmpty()) {
            add(Severity.NOTE, "hidden", hidden.size() + " hidden file(s) or folder(s) are ignored", hidden,
                    "none needed; delete them if they are leftovers");
        }
    }

    private void oddity(List<ImageFacts> facts, Predicate<ImageFacts> test, Severity severity, String code,
                        String what, String suggestion) {
        List<String> files = facts.stream().filter(test).map(ImageFacts::path).toList();
        if (!files.isEmpty()) {
            add(severity, code, files.size() + " " + what, files, suggestion);
        }
    }

    private void add(Severity severity, String code, String message, List<String> files, String suggestion) {
        out.add(new Finding(severity, code, message, files, suggestion));
    }

    private static String pair(Duplicate d) {
        return d.first() + (d.exact() ? " = " : " ~ ") + d.second() + (d.exact() ? "" : " (distance " + d.distance() + ")");
    }
}
