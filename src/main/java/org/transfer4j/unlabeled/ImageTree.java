package org.transfer4j.unlabeled;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.transfer4j.data.DatasetException;
import org.transfer4j.data.ImageFormat;
import org.transfer4j.data.SkippedFile;

/**
 * Every image under a folder, at any depth, sorted by relative path; hidden files and folders are
 * left out, and files that are not decodable images are listed apart with the reason.
 *
 * @param root the folder (absolute, normalised)
 * @param images the image files, sorted by relative path
 * @param skipped the other files, with the reason
 */
public record ImageTree(Path root, List<Path> images, List<SkippedFile> skipped) {

    public ImageTree {
        images = List.copyOf(images);
        skipped = List.copyOf(skipped);
    }

    /**
     * Lists the folder.
     *
     * @throws DatasetException when it is not a folder or holds no image
     */
    public static ImageTree scan(Path folder) {
        Path root = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new DatasetException("'" + folder + "' is not a folder; give a folder of images (any depth)");
        }
        List<Path> images = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        try {
            Files.walkFileTree(root, Set.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return !d.equals(root) && hidden(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (!hidden(f) && attrs.isRegularFile()) {
                        String why = whyNot(f, attrs.size());
                        if (why == null) {
                            images.add(f);
                        } else {
                            skipped.add(new SkippedFile(f, why));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    skipped.add(new SkippedFile(f, e instanceof FileSystemLoopException ? "symlink loop; remove the link"
                            : "cannot be read (" + e.getMessage() + ")"));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new DatasetException("Cannot list folder '" + folder + "': " + e.getMessage(), e);
        }
        images.sort(Comparator.comparing(p -> relative(root, p)));
        skipped.sort(Comparator.comparing(s -> s.file().toString()));
        if (images.isEmpty()) {
            throw new DatasetException("'" + folder + "' holds no readable image" + (skipped.isEmpty() ? " (it is empty)"
                    : " (" + skipped.size() + " other files, e.g. " + skipped.get(0) + ")")
                    + "; JPEG, PNG, GIF and BMP files are read, in the folder and its sub-folders");
        }
        return new ImageTree(root, images, skipped);
    }

    /** The path of a file below the root, with '/' separators. */
    public static String relative(Path root, Path file) {
        StringBuilder s = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (s.length() > 0) {
                s.append('/');
            }
            s.append(part);
        }
        return s.toString();
    }

    private static String whyNot(Path file, long size) {
        if (size == 0) {
            return "empty file (0 bytes)";
        }
        try {
            ImageFormat format = ImageFormat.sniff(file);
            if (format.decodable()) {
                return null;
            }
            return format == ImageFormat.UNKNOWN ? "not an image; JPEG, PNG, GIF and BMP are read"
                    : format + " images are not supported; convert it to JPEG or PNG";
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }
}
