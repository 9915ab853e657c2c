package org.transfer4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A labelled image dataset read from folders, in three splits with fixed names: {@code train} (what the
 * model learns from), {@code validation} (carved from the training images: every choice reads it) and
 * {@code test} (scored once, at the end; it never chooses anything). Also the sorted class names and
 * the files that were left out with the reason.
 *
 * <p>Two layouts are recognised:
 *
 * <ul>
 *   <li>{@code train/} beside one of {@code val/}, {@code valid/}, {@code validation/} or
 *       {@code test/} (also Kaggle's {@code training_set/} + {@code test_set/}, nested
 *       {@code training_set/training_set/} included), each holding one folder per class: the second
 *       folder is the test split;
 *   <li>one folder per class, of which a share of each class (stratified, seeded) is held out as the
 *       test split.
 * </ul>
 *
 * <p>Either way the validation split is then carved from the training images: a share of each class,
 * at least one image, chosen at random with the seed. Class index = position in the sorted class folder
 * names (as torchvision's {@code ImageFolder}); files are sorted; hidden files and folders (names
 * starting with '.') are ignored; images are recognised by their first bytes, not their extension. The
 * splits can be saved as relative paths ({@link #trainPaths()}, {@link #validationPaths()},
 * {@link #testPaths()}) and restored with {@link #fromPaths}.
 *
 * @param root the dataset folder (absolute)
 * @param classNames class names, sorted; a sample's class index points into this list
 * @param train training samples, sorted by class then path
 * @param validation validation samples (from the training folder), sorted by class then path
 * @param test test samples, sorted by class then path
 * @param skipped files left out (not images, empty, unsupported formats), with the reason
 * @param description how the splits were made, in words, e.g. "folders train/ and val/"
 */
public record ImageFolder(Path root, List<String> classNames, List<Sample> train, List<Sample> validation,
        List<Sample> test, List<SkippedFile> skipped, String description) {

    /** Share of each class held out as the test split when the folder has no val/test folder. */
    public static final double DEFAULT_TEST_FRACTION = 0.2;
    /** Share of each class of the training images carved out as the validation split. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;
    /** Seed of the splits when none is given. */
    public static final long DEFAULT_SEED = 42;

    public ImageFolder {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(description, "description");
        classNames = List.copyOf(classNames);
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
        skipped = List.copyOf(skipped);
        for (List<Sample> samples : List.of(train, validation, test)) {
            for (Sample s : samples) {
                if (s.classIndex() >= classNames.size()) {
                    throw new IllegalArgumentException("sample " + s.file() + " has class index " + s.classIndex()
                            + " but there are " + classNames.size() + " classes");
                }
            }
        }
    }

    /** Without a validation split. */
    public ImageFolder(Path root, List<String> classNames, List<Sample> train, List<Sample> test,
                       List<SkippedFile> skipped, String description) {
        this(root, classNames, train, List.of(), test, skipped, description);
    }

    /**
     * Scans a dataset folder with the default shares ({@link #DEFAULT_TEST_FRACTION},
     * {@link #DEFAULT_VALIDATION_FRACTION}) and seed {@link #DEFAULT_SEED}.
     *
     * @throws DatasetException when the folder cannot serve as a dataset, saying why and how to fix it
     */
    public static ImageFolder scan(Path root) {
        return scan(root, DEFAULT_TEST_FRACTION, DEFAULT_VALIDATION_FRACTION, DEFAULT_SEED);
    }

    /**
     * Scans a dataset folder into training and test images, without a validation split (what the
     * data doctor looks at).
     *
     * @param testFraction share of each class held out as the test split when there is no val/test folder
     * @throws DatasetException when the folder cannot serve as a dataset, saying why and how to fix it
     */
    public static ImageFolder scan(Path root, double testFraction, long seed) {
        return DatasetScanner.scan(root, testFraction, seed);
    }

    /**
     * Scans a dataset folder into the three splits.
     *
     * @param testFraction share of each class held out as the test split when there is no val/test
     *     folder; 0 for no test split
     * @param validationFraction share of each class's training images carved out as the validation
     *     split (at least one image per class); 0 for none
     * @param seed seed of both random splits
     * @throws DatasetException when the folder cannot serve as a dataset, saying why and how to fix it
     */
    public static ImageFolder scan(Path root, double testFraction, double validationFraction, long seed) {
        return withValidation(DatasetScanner.scan(root, testFraction, seed), validationFraction, seed);
    }

    /**
     * A dataset from a listing of image paths instead of a folder walk (features computed elsewhere, e.g.
     * by the Spark job): the three splits are those {@link #scan(Path, double, double, long)} makes of a
     * folder holding exactly these files.
     *
     * @param root the folder the paths are relative to (its files are not read)
     * @param layout where the class folders and the test folder are
     * @param relativePaths '/'-separated image paths relative to {@code root}
     * @throws DatasetException when the listing cannot serve as a dataset
     */
    public static ImageFolder fromListing(Path root, ImageLayout layout, List<String> relativePaths, double testFraction,
                                          double validationFraction, long seed) {
        return withValidation(DatasetScanner.fromListing(root, layout, relativePaths, testFraction, seed),
                validationFraction, seed);
    }

    private static ImageFolder withValidation(ImageFolder folder, double validationFraction, long seed) {
        if (validationFraction == 0) {
            return folder;
        }
        StratifiedSplit.Result carved = StratifiedSplit.carve(folder.train(), folder.classNames(), validationFraction,
                seed);
        return new ImageFolder(folder.root(), folder.classNames(), carved.train(), carved.test(), folder.test(),
                folder.skipped(), String.format(java.util.Locale.ROOT, "%s; validation: %.0f%% of each class's "
                        + "training images (at least one) with seed %d", folder.description(),
                        validationFraction * 100, seed));
    }

    /**
     * Scans a folder to evaluate a model on: the val/test part of a train + val layout, or else every
     * image of its class folders; either way the images are in {@link #test()}.
     *
     * @throws DatasetException when the folder cannot serve as a dataset
     */
    public static ImageFolder scanForEvaluation(Path root) {
        return DatasetScanner.scanForEvaluation(root);
    }

    /**
     * Rebuilds a dataset from saved splits: paths relative to {@code root} with '/' separators, as
     * returned by {@link #trainPaths()}, {@link #validationPaths()} and {@link #testPaths()}. A sample's
     * class is the first folder in its path that is named after a class.
     *
     * @throws DatasetException when a file is gone or its path names no class
     */
    public static ImageFolder fromPaths(Path root, List<String> classNames, List<String> trainPaths,
            List<String> validationPaths, List<String> testPaths) {
        return DatasetScanner.fromPaths(root, classNames, trainPaths, validationPaths, testPaths);
    }

    /** Number of classes. */
    public int classCount() {
        return classNames.size();
    }

    /** The training and validation images together: everything from the training folder. */
    public List<Sample> trainAndValidation() {
        List<Sample> all = new ArrayList<>(train);
        all.addAll(validation);
        return all;
    }

    /** Training images per class, indexed like {@link #classNames()}. */
    public int[] trainCounts() {
        return countPerClass(train);
    }

    /** Validation images per class, indexed like {@link #classNames()}. */
    public int[] validationCounts() {
        return countPerClass(validation);
    }

    /** Test images per class, indexed like {@link #classNames()}. */
    public int[] testCounts() {
        return countPerClass(test);
    }

    /** The training files relative to {@link #root()}, '/'-separated: what a manifest saves. */
    public List<String> trainPaths() {
        return relativePaths(train);
    }

    /** The validation files relative to {@link #root()}, '/'-separated: what a manifest saves. */
    public List<String> validationPaths() {
        return relativePaths(validation);
    }

    /** The test files relative to {@link #root()}, '/'-separated: what a manifest saves. */
    public List<String> testPaths() {
        return relativePaths(test);
    }

    /** A sample's file relative to {@link #root()}, '/'-separated. */
    public String relativePath(Sample sample) {
        return DatasetScanner.relative(root, sample.file());
    }

    private int[] countPerClass(List<Sample> samples) {
        int[] counts = new int[classNames.size()];
        for (Sample s : samples) {
            counts[s.classIndex()]++;
        }
        return counts;
    }

    private List<String> relativePaths(List<Sample> samples) {
        List<String> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            out.add(relativePath(s));
        }
        return List.copyOf(out);
    }
}
