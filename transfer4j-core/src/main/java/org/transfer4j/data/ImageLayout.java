package org.transfer4j.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The layout of an image folder seen as relative paths, for stores that are listed rather than walked
 * (a Hadoop file system, a Parquet table of features): where the class folders are, and which images
 * are the test split. It recognises the layouts {@link ImageFolder#scan} recognises, by the same
 * folder names: {@code train/} beside {@code val/} (or {@code valid/}, {@code validation/},
 * {@code test/}, Kaggle's {@code training_set/} + {@code test_set/}, nested ones included), or one
 * folder per class.
 *
 * @param trainFolder the folder holding the training class folders, '/'-separated, relative to the
 *     root; empty when the class folders are at the root
 * @param testFolder the folder holding the test class folders, or null when the layout has none (a
 *     share of each class is then held out, as {@link ImageFolder#scan} does)
 */
public record ImageLayout(String trainFolder, String testFolder) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The split name of images in the layout's training folder. */
    public static final String TRAIN = "train";
    /** The split name of images in the layout's test folder. */
    public static final String TEST = "test";

    public ImageLayout {
        trainFolder = trainFolder == null ? "" : trainFolder;
    }

    /**
     * Finds the layout from the root's sub-folders, as {@link ImageFolder#scan} does.
     *
     * @param rootFolders names of the root's non-hidden sub-folders
     * @param subfoldersOf names of the non-hidden sub-folders of a folder given by its relative path
     */
    public static ImageLayout detect(List<String> rootFolders, Function<String, List<String>> subfoldersOf) {
        String train = find(rootFolders, DatasetScanner.TRAIN_NAMES);
        String test = find(rootFolders, DatasetScanner.VAL_NAMES);
        if (train != null && test != null) {
            return new ImageLayout(unnest(train, subfoldersOf), unnest(test, subfoldersOf));
        }
        return new ImageLayout(train != null ? unnest(train, subfoldersOf) : "", null);
    }

    /** The layout's split of an image ({@link #TRAIN} or {@link #TEST}), or null when the layout has no test folder. */
    public String split(String relativePath) {
        if (testFolder == null) {
            return null;
        }
        return under(relativePath, testFolder) != null ? TEST : under(relativePath, trainFolder) != null ? TRAIN : null;
    }

    /** The class of an image (the first folder below the class root), or null when it is in no class folder. */
    public String label(String relativePath) {
        String rest = testFolder != null && under(relativePath, testFolder) != null ? under(relativePath, testFolder)
                : under(relativePath, trainFolder);
        if (rest == null) {
            return null;
        }
        int slash = rest.indexOf('/');
        return slash > 0 ? rest.substring(0, slash) : null;
    }

    /** The layout in words, as an {@link ImageFolder}'s description. */
    public String description() {
        if (testFolder != null) {
            return "folders " + trainFolder + "/ and " + testFolder + "/";
        }
        return trainFolder.isEmpty() ? "class folders" : "class folders in " + trainFolder + "/";
    }

    /**
     * The images of each class, in the order {@link ImageFolder#scan} lists them (classes by name, files
     * by path), of a given split ({@link #TRAIN}, {@link #TEST}, or null for every image of a layout
     * without a test folder).
     */
    Map<String, List<String>> byClass(List<String> relativePaths, String split) {
        Map<String, List<String>> classes = new TreeMap<>();
        for (String p : relativePaths) {
            String label = label(p);
            if (label != null && java.util.Objects.equals(split, split(p))) {
                classes.computeIfAbsent(label, k -> new ArrayList<>()).add(p);
            }
        }
        classes.values().forEach(list -> list.sort(null));
        return classes;
    }

    private static String under(String path, String folder) {
        if (folder.isEmpty()) {
            return path;
        }
        return path.startsWith(folder + "/") ? path.substring(folder.length() + 1) : null;
    }

    private static String unnest(String folder, Function<String, List<String>> subfoldersOf) {
        List<String> inner = subfoldersOf.apply(folder);
        String name = folder.substring(folder.lastIndexOf('/') + 1);
        if (inner.size() == 1 && inner.get(0).equalsIgnoreCase(name)) {
            return folder + "/" + inner.get(0);
        }
        return folder;
    }

    private static String find(List<String> folders, List<String> names) {
        for (String wanted : names) {
            for (String f : folders) {
                if (f.toLowerCase(Locale.ROOT).equals(wanted)) {
                    return f;
                }
            }
        }
        return null;
    }
}
