package org.transfer4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Every image under a folder, at any depth, labelled or not, sorted by relative path: what the
 * commands on unlabeled folders read. Listed as {@link ImageFolder#scan} lists class folders (hidden
 * files and folders left out, links followed, images recognised by their first bytes); files that
 * are not decodable images are listed apart with the reason.
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
        ImageTree tree = DatasetScanner.tree(root);
        if (tree.images().isEmpty()) {
            List<SkippedFile> skipped = tree.skipped();
            throw new DatasetException("'" + folder + "' holds no readable image" + (skipped.isEmpty() ? " (it is empty)"
                    : " (" + skipped.size() + " other files, e.g. " + skipped.get(0) + ")")
                    + "; JPEG, PNG, GIF and BMP files are read, in the folder and its sub-folders");
        }
        return tree;
    }

    /** The path of a file below the root, with '/' separators. */
    public static String relative(Path root, Path file) {
        return DatasetScanner.relative(root, file);
    }
}
