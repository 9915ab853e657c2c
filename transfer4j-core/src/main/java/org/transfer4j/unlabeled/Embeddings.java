package org.transfer4j.unlabeled;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.transfer4j.data.SkippedFile;

/**
 * Backbone features of the images under a folder, one row per readable image, in the order of
 * {@link #items()} (sorted by relative path).
 *
 * @param root the folder the paths are relative to (absolute)
 * @param items the images behind the rows, in row order
 * @param vectors the features, {@code vectors[i]} for {@code items.get(i)}, all of one width (not normalised)
 * @param backbone the backbone's weight-set id, e.g. {@code mobilenet_v2}
 * @param weightsSha256 SHA-256 of the weights file that computed them
 * @param preprocessing the preprocessing, in words
 * @param skipped files under the folder that were left out, with the reason
 */
public record Embeddings(Path root, List<Item> items, float[][] vectors, String backbone, String weightsSha256,
                         String preprocessing, List<SkippedFile> skipped) {

    /**
     * One image.
     *
     * @param path path relative to the folder, with '/' separators
     * @param contentHash the content hash of the file (the feature cache's key)
     * @param classFolder the first folder of {@code path} (its class when the folder is labelled), or
     *     the empty string for an image directly in the folder
     */
    public record Item(String path, String contentHash, String classFolder) {

        public Item {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(contentHash, "contentHash");
            Objects.requireNonNull(classFolder, "classFolder");
        }

        /** The item of a relative path: its class folder is the first folder of the path. */
        public static Item of(String path, String contentHash) {
            int slash = path.indexOf('/');
            return new Item(path, contentHash, slash < 0 ? "" : path.substring(0, slash));
        }
    }

    public Embeddings {
        Objects.requireNonNull(root, "root");
        items = List.copyOf(items);
        skipped = List.copyOf(skipped);
        if (vectors.length != items.size()) {
            throw new IllegalArgumentException(vectors.length + " rows for " + items.size() + " images");
        }
        for (float[] row : vectors) {
            if (row.length != vectors[0].length) {
                throw new IllegalArgumentException("rows of different widths: " + vectors[0].length + " and " + row.length);
            }
        }
        Objects.requireNonNull(backbone, "backbone");
        Objects.requireNonNull(weightsSha256, "weightsSha256");
        Objects.requireNonNull(preprocessing, "preprocessing");
    }

    /** The file of row i. */
    public Path file(int i) {
        return root.resolve(items.get(i).path());
    }

    /** Number of rows. */
    public int count() {
        return items.size();
    }

    /** Width of a row (0 when there is none). */
    public int width() {
        return vectors.length == 0 ? 0 : vectors[0].length;
    }

    /** The rows scaled to unit L2 norm (a zero row stays zero), as new arrays. */
    public float[][] normalised() {
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = VectorMath.normalised(vectors[i]);
        }
        return out;
    }
}
