package org.transfer4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A labelled image dataset read from folders: the sorted class names, the training and the
 * validation samples, and the files that were left out with the reason.
 *
 * <p>Two layouts are recognised:
 *
 * <ul>
 *   <li>{@code train/} beside one of {@code val/}, {@code valid/}, {@code validation/} or
 *       {@code test/} (also Kaggle's {@code training_set/} + {@code test_set/}, nested
 *       {@code training_set/training_set/} included), each holding one folder per class;
 *   <li>one folder per class, split into training and validation images per class (stratified) by
 *       a fraction and a seed: the same seed gives the same split.
 * </ul>
 *
 * <p>Class index = position in the sorted class folder names (as torchvision's {@code ImageFolder});
 * files are sorted; hidden files and folders (names starting with '.') are ignored; images are
 * recognised by their first bytes, not their extension. The split can be saved as relative paths
 * ({@link #trainPaths()}, {@link #testPaths()}) and restored with {@link #fromPaths}.
 *
 * @param root the dataset folder (absolute)
 * @param classNames class names, sorted; a sample's class index points into this list
 * @param train training samples, sorted by class then path
 * @param test validation samples, sorted by class then path
 * @param skipped files left out (not images, empty, unsupported formats), with the reason
 * @param description how the split was made, in words, e.g. "folders train/ and val/"
 */
public record ImageFolder(Path root, List<String> classNames, List<Sample> train, List<Sample> test,
        List<SkippedFile> skipped, String description) {

    /** Share of each class held out for validation when the folder has no val/ folder. */
    public static final double DEFAULT_VAL_FRACTION = 0.2;
    /** Seed of the split when none is given. */
    public static final long DEFAULT_SEED = 42;

    public ImageFolder {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(description, "description");
        classNames = List.copyOf(classNames);
        train = List.copyOf(train);
        test = List.copyOf(test);
        skipped = List.copyOf(skipped);
        for (List<Sample> samples : List.of(train, test)) {
            for (Sample s : samples) {
                if (s.classIndex() >= classNames.size()) {
                    throw new IllegalArgumentException("sample " + s.file() + " has class index " + s.classIndex()
                            + " but there are " + classNames.size() + " classes");
                }
            }
        }
    }

    /**
     * Scans a dataset folder; without a val/ folder, holds out {@link #DEFAULT_VAL_FRACTION} of each
     * class with seed {@link #DEFAULT_SEED}.
     *
     * @throws DatasetException when the folder cannot serve as a dataset, saying why and how to fix it
     */
    public static ImageFolder scan(Path root) {
        return scan(root, DEFAULT_VAL_FRACTION, DEFAULT_SEED);
    }

    /**
     * Scans a dataset folder; without a val/ folder, holds out {@code valFraction} of each class,
     * chosen at random with {@code seed}.
     *
     * @throws DatasetException when the folder cannot serve as a dataset, saying why and how to fix it
     */
    public static ImageFolder scan(Path root, double valFraction, long seed) {
        return DatasetScanner.scan(root, valFraction, seed);
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
     * Rebuilds a dataset from a saved split: paths relative to {@code root} with '/' separators, as
     * returned by {@link #trainPaths()} and {@link #testPaths()}. A sample's class is the first
     * folder in its path that is named after a class.
     *
     * @throws DatasetException when a file is gone or its path names no class
     */
    public static ImageFolder fromPaths(Path root, List<String> classNames, List<String> trainPaths,
            List<String> testPaths) {
        return DatasetScanner.fromPaths(root, classNames, trainPaths, testPaths);
    }

    /** Number of classes. */
    public int classCount() {
        return classNames.size();
    }

    /** Training images per class, indexed like {@link #classNames()}. */
    public int[] trainCounts() {
        return countPerClass(train);
    }

    /** Validation images per class, indexed like {@link #classNames()}. */
    public int[] testCounts() {
        return countPerClass(test);
    }

    /** The training files relative to {@link #root()}, '/'-separated: what a manifest saves. */
    public List<String> trainPaths() {
        return relativePaths(train);
    }

    /** The validation files relative to {@link #root()}, '/'-separated: what a manifest saves. */
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
