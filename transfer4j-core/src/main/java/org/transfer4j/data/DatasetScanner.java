package org.transfer4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Finds the layout, the class folders and the images of an {@link ImageFolder}. */
final class DatasetScanner {

    static final List<String> TRAIN_NAMES = List.of("train", "training", "training_set", "train_set");
    static final List<String> VAL_NAMES =
            List.of("val", "valid", "validation", "test", "test_set", "testing", "testing_set");
    private static final String LAYOUT_HELP = "Give a folder with one sub-folder of images per class "
            + "(e.g. cats/, dogs/), or with train/ and val/ folders that each hold such class folders.";

    /** Images and skipped files of one class folder. */
    private record ClassImages(Path folder, List<Path> images, List<SkippedFile> skipped) {
    }

    private DatasetScanner() {
    }

    static ImageFolder scan(Path rootArg, double testFraction, long seed) {
        Path root = rootArg.toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            throw new DatasetException("Dataset folder '" + root + "' does not exist. " + LAYOUT_HELP);
        }
        if (!Files.isDirectory(root)) {
            throw new DatasetException("'" + root + "' is a file, not a folder. " + LAYOUT_HELP);
        }
        List<Path> dirs = subfolders(root);
        Path trainDir = find(dirs, TRAIN_NAMES);
        Path valDir = find(dirs, VAL_NAMES);
        if (trainDir != null && valDir != null) {
            trainDir = unnest(trainDir);
            valDir = unnest(valDir);
            List<ClassImages> trainClasses = classes(trainDir);
            List<String> names = names(trainClasses);
            List<ClassImages> valClasses = classes(valDir, names);
            List<SkippedFile> skipped = new ArrayList<>();
            List<Sample> train = samples(trainClasses, names, skipped);
            List<Sample> test = samples(valClasses, names, skipped);
            return new ImageFolder(root, names, train, test, skipped,
                    "folders " + relative(root, trainDir) + "/ and " + relative(root, valDir) + "/");
        }
        Path classRoot = trainDir != null ? unnest(trainDir) : root;
        List<ClassImages> all = classes(classRoot);
        List<SkippedFile> skipped = new ArrayList<>();
        all.forEach(c -> skipped.addAll(c.skipped()));
        List<ClassImages> classes = all.stream().filter(c -> !c.images().isEmpty()).toList();
        List<String> names = names(classes);
        String from = classRoot.equals(root) ? "class folders" : "class folders in " + relative(root, classRoot) + "/";
        if (testFraction == 0) {
            return new ImageFolder(root, names, samples(classes, names, new ArrayList<>()), List.of(), skipped,
                    from + ", no test split");
        }
        StratifiedSplit.Result split = StratifiedSplit.split(classes.stream().map(ClassImages::images).toList(),
                classes.stream().map(ClassImages::folder).toList(), testFraction, seed);
        return new ImageFolder(root, names, split.train(), split.test(), skipped,
                String.format(Locale.ROOT, "%s, %.0f%% of each class held out as the test split with seed %d", from,
                        testFraction * 100, seed));
    }

    /**
     * An {@link ImageFolder} from a listing of relative paths instead of a walk: the classes, their
     * order and the test split are those {@link #scan} gives on a folder holding those files.
     */
    static ImageFolder fromListing(Path rootArg, ImageLayout layout, List<String> relativePaths, double testFraction,
                                   long seed) {
        Path root = rootArg.toAbsolutePath().normalize();
        if (layout.testFolder() != null) {
            Map<String, List<String>> train = layout.byClass(relativePaths, ImageLayout.TRAIN);
            Map<String, List<String>> test = layout.byClass(relativePaths, ImageLayout.TEST);
            List<String> names = List.copyOf(train.keySet());
            for (String c : test.keySet()) {
                if (!names.contains(c)) {
                    throw new DatasetException("Test class '" + c + "' (in " + layout.testFolder() + "/) has no training "
                            + "counterpart; the training classes are " + names + ".");
                }
            }
            return new ImageFolder(root, names, listed(root, train, names), listed(root, test, names), List.of(),
                    layout.description());
        }
        Map<String, List<String>> classes = layout.byClass(relativePaths, null);
        List<String> names = List.copyOf(classes.keySet());
        if (names.size() < 2) {
            throw new DatasetException("The listing has " + names.size() + " class folder" + (names.size() == 1 ? "" : "s")
                    + " " + names + "; a classifier needs at least two. " + LAYOUT_HELP);
        }
        if (testFraction == 0) {
            return new ImageFolder(root, names, listed(root, classes, names), List.of(), List.of(),
                    layout.description() + ", no test split");
        }
        List<List<Path>> files = new ArrayList<>();
        List<Path> folders = new ArrayList<>();
        for (String c : names) {
            files.add(classes.get(c).stream().map(p -> root.resolve(p)).toList());
            folders.add(root.resolve(layout.trainFolder()).resolve(c));
        }
        StratifiedSplit.Result split = StratifiedSplit.split(files, folders, testFraction, seed);
        return new ImageFolder(root, names, split.train(), split.test(), List.of(),
                String.format(Locale.ROOT, "%s, %.0f%% of each class held out as the test split with seed %d",
                        layout.description(), testFraction * 100, seed));
    }

    private static List<Sample> listed(Path root, Map<String, List<String>> byClass, List<String> names) {
        List<Sample> samples = new ArrayList<>();
        byClass.forEach((c, paths) -> paths.forEach(p -> samples.add(new Sample(root.resolve(p), names.indexOf(c)))));
        samples.sort(Comparator.comparingInt(Sample::classIndex));
        return samples;
    }

    /** For evaluation: the val/test split of a train + val layout, else every image, all as test samples. */
    static ImageFolder scanForEvaluation(Path rootArg) {
        Path root = rootArg.toAbsolutePath().normalize();
        List<Path> dirs = Files.isDirectory(root) ? subfolders(root) : List.of();
        if (find(dirs, TRAIN_NAMES) != null && find(dirs, VAL_NAMES) != null) {
            return scan(root, ImageFolder.DEFAULT_TEST_FRACTION, ImageFolder.DEFAULT_SEED);
        }
        if (!Files.isDirectory(root)) {
            return scan(root, ImageFolder.DEFAULT_TEST_FRACTION, ImageFolder.DEFAULT_SEED); // explains what is wrong
        }
        List<ClassImages> classes = classes(root);
        List<String> names = names(classes);
        List<SkippedFile> skipped = new ArrayList<>();
        List<Sample> all = samples(classes, names, skipped);
        return new ImageFolder(root, names, List.of(), all, skipped, "every image of the class folders");
    }

    static ImageFolder fromPaths(Path rootArg, List<String> classNames, List<String> trainPaths,
                                 List<String> validationPaths, List<String> testPaths) {
        Path root = rootArg.toAbsolutePath().normalize();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            index.put(classNames.get(i), i);
        }
        List<List<Sample>> sets = new ArrayList<>();
        for (List<String> paths : List.of(trainPaths, validationPaths, testPaths)) {
            List<Sample> samples = new ArrayList<>(paths.size());
            for (String p : paths) {
                Path file = root.resolve(p).normalize();
                if (!Files.isRegularFile(file)) {
                    throw new DatasetException("The saved split lists '" + p + "' but " + file + " is gone. The dataset "
                            + "changed since the split was made: restore the file, or scan the folder again.");
                }
                String[] parts = p.split("/");
                Integer c = null;
                for (int i = 0; i < parts.length - 1 && c == null; i++) {
                    c = index.get(parts[i]);
                }
                if (c == null) {
                    throw new DatasetException("The saved split lists '" + p + "', which is in no folder named after a "
                            + "class " + classNames + ". The split does not belong to this dataset.");
                }
                samples.add(new Sample(file, c));
            }
            sets.add(samples);
        }
        return new ImageFolder(root, classNames, sets.get(0), sets.get(1), sets.get(2), List.of(), "saved split");
    }

    /** Every file under a folder, images apart from the rest: what {@link ImageTree#scan} lists. */
    static ImageTree tree(Path root) {
        List<SkippedFile> skipped = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        for (Path f : listFiles(root, true, skipped)) {
            String why = whyNot(f);
            if (why == null) {
                images.add(f);
            } else {
                skipped.add(new SkippedFile(f, why));
            }
        }
        skipped.sort(Comparator.comparing(s -> s.file().toString()));
        return new ImageTree(root, images, skipped);
    }

    /** '/'-separated path of {@code file} relative to {@code root}. */
    static String relative(Path root, Path file) {
        Path rel = root.relativize(file);
        StringBuilder b = new StringBuilder();
        for (Path part : rel) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(part);
        }
        return b.toString();
    }

    private static List<ClassImages> classes(Path classRoot) {
        return classes(classRoot, null);
    }

    /** The class folders under {@code classRoot}; when {@code known} is given, they must be among them. */
    private static List<ClassImages> classes(Path classRoot, List<String> known) {
        List<Path> dirs = subfolders(classRoot);
        if (dirs.isEmpty()) {
            long images = listFiles(classRoot, false, new ArrayList<>()).stream().filter(f -> whyNot(f) == null).count();
            throw new DatasetException("Folder '" + classRoot + "' has no class folders"
                    + (images > 0 ? " but holds " + images + " images directly; move them into one sub-folder per class"
                            : " and no images") + ". " + LAYOUT_HELP);
        }
        if (known == null && dirs.size() < 2) {
            throw new DatasetException("Folder '" + classRoot + "' has only one class folder ('" + name(dirs.get(0))
                    + "'); a classifier needs at least two. Add a folder of images for each other class.");
        }
        List<ClassImages> out = new ArrayList<>();
        for (Path dir : dirs) {
            List<SkippedFile> skipped = new ArrayList<>();
            List<Path> files = listFiles(dir, true, skipped);
            if (files.isEmpty() && skipped.isEmpty()) {
                // A folder with no files at all is a placeholder: leave the class out, say so, go on.
                out.add(new ClassImages(dir, List.of(), List.of(new SkippedFile(dir, "empty class folder, left out: "
                        + "there is no class '" + name(dir) + "'; add images to it or remove the folder"))));
                continue;
            }
            if (known != null && !known.contains(name(dir))) {
                throw new DatasetException("Validation class folder '" + dir + "' has no training counterpart; the "
                        + "training classes are " + known + ". Rename or remove it so both splits have the same classes.");
            }
            List<Path> images = new ArrayList<>();
            for (Path f : files) {
                String why = whyNot(f);
                if (why == null) {
                    images.add(f);
                } else {
                    skipped.add(new SkippedFile(f, why));
                }
            }
            if (images.isEmpty()) {
                String examples = skipped.stream().limit(3).map(s -> s.file().getFileName() + ": " + s.reason())
                        .reduce((a, b) -> a + "; " + b).map(s -> " (" + skipped.size() + " other files: " + s + ")")
                        .orElse("");
                throw new DatasetException("Class folder '" + dir + "' has no images" + examples
                        + ". Add JPEG, PNG, GIF or BMP images, or remove the folder.");
            }
            out.add(new ClassImages(dir, images, skipped));
        }
        if (known == null && names(out).size() < 2) {
            throw new DatasetException("Folder '" + classRoot + "' has only " + names(out).size() + " class folder with "
                    + "images (the others are empty); a classifier needs at least two. Add images to the empty folders.");
        }
        return out;
    }

    /** Names of the class folders that hold images, in order. */
    private static List<String> names(List<ClassImages> classes) {
        return classes.stream().filter(c -> !c.images().isEmpty()).map(c -> name(c.folder())).toList();
    }

    private static List<Sample> samples(List<ClassImages> classes, List<String> names, List<SkippedFile> skipped) {
        List<Sample> samples = new ArrayList<>();
        for (ClassImages c : classes) {
            int index = names.indexOf(name(c.folder()));
            c.images().forEach(f -> samples.add(new Sample(f, index)));
            skipped.addAll(c.skipped());
        }
        samples.sort(Comparator.comparingInt(Sample::classIndex));
        return samples;
    }

    /** Why a file is not a usable image, or null when it is one. */
    private static String whyNot(Path file) {
        byte[] head = new byte[ImageFormat.HEADER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            return ImageFormat.whyNotDecodable(head, in.readNBytes(head, 0, head.length));
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    /** Non-hidden sub-folders, sorted by name. */
    private static List<Path> subfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted(Comparator.comparing(DatasetScanner::name))
                    .toList();
        } catch (IOException e) {
            throw new DatasetException("Cannot list folder '" + dir + "': " + e.getMessage(), e);
        }
    }

    /**
     * Non-hidden regular files, sorted by relative path; all levels when {@code recursive}, following
     * links. Entries that cannot be visited (symlink loops, broken links, unreadable folders) go to
     * {@code problems} with the reason instead of stopping the scan.
     */
    private static List<Path> listFiles(Path dir, boolean recursive, List<SkippedFile> problems) {
        if (!recursive) {
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(Files::isRegularFile).filter(p -> !hiddenBelow(dir, p))
                        .sorted(Comparator.comparing(p -> relative(dir, p))).toList();
            } catch (IOException | UncheckedIOException e) {
                throw new DatasetException("Cannot list folder '" + dir + "': " + e.getMessage(), e);
            }
        }
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(dir, Set.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return !d.equals(dir) && hidden(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (hidden(f)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isRegularFile()) {
                        files.add(f);
                    } else if (attrs.isSymbolicLink()) {
                        problems.add(new SkippedFile(f, "broken symbolic link or symlink loop; fix or remove the link"));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    if (!hidden(f)) {
                        problems.add(new SkippedFile(f, e instanceof FileSystemLoopException
                                ? "symlink loop (the link points to a folder above it); remove the link"
                                : "cannot be read (" + e + ")"));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new DatasetException("Cannot list folder '" + dir + "': " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing(p -> relative(dir, p)));
        return files;
    }

    /** Kaggle's training_set/training_set/: descend into a lone sub-folder of the same name. */
    private static Path unnest(Path dir) {
        List<Path> inner = subfolders(dir);
        if (inner.size() == 1 && name(inner.get(0)).equalsIgnoreCase(name(dir))) {
            return inner.get(0);
        }
        return dir;
    }

    private static Path find(List<Path> dirs, List<String> names) {
        for (String wanted : names) {
            for (Path d : dirs) {
                if (name(d).equalsIgnoreCase(wanted)) {
                    return d;
                }
            }
        }
        return null;
    }

    private static boolean hiddenBelow(Path dir, Path file) {
        for (Path part : dir.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hidden(Path p) {
        return name(p).startsWith(".");
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }
}
