package org.transfer4j.unlabeled;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder's images grouped by k-means on their L2-normalised embeddings.
 *
 * @param embeddings the images and their features
 * @param fit the k-means fit on the normalised features
 * @param silhouettes the mean silhouette of each k tried by {@code --k auto}; empty for a given k
 */
public record Clusters(Embeddings embeddings, KMeans.Fit fit, Map<Integer, Double> silhouettes) {

    /** The largest k that {@code --k auto} tries. */
    public static final int AUTO_MAX_K = 10;

    public Clusters {
        silhouettes = Map.copyOf(silhouettes);
    }

    /**
     * Clusters embeddings into k groups, or, with k = 0, into the k in [2, {@link #AUTO_MAX_K}] of highest
     * silhouette.
     *
     * @throws IllegalArgumentException when there are too few images for k
     */
    public static Clusters of(Embeddings e, int k, long seed) {
        float[][] unit = e.normalised();
        if (k == 0) {
            Silhouette.Choice choice = Silhouette.chooseK(unit, 2, AUTO_MAX_K, seed);
            return new Clusters(e, choice.fit(), choice.scores());
        }
        return new Clusters(e, new KMeans(k, seed).fit(unit), Map.of());
    }

    /** Number of clusters. */
    public int k() {
        return fit.k();
    }

    /** The rows of cluster c, the nearest to its centre first. */
    public List<Integer> members(int c) {
        float[][] unit = embeddings.normalised();
        int[] labels = fit.labels();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == c) {
                rows.add(i);
            }
        }
        rows.sort(Comparator.comparingDouble((Integer i) -> fit.distance(unit[i], c)).thenComparing(i -> i));
        return rows;
    }

    /** The folder name of cluster c (from 0): {@code cluster-01}, ... */
    public static String name(int c) {
        return String.format(Locale.ROOT, "cluster-%02d", c + 1);
    }

    /** {@code clusters.csv}: path, content hash, class folder, cluster name, distance to the centre; in row order. */
    public byte[] csv() {
        float[][] unit = embeddings.normalised();
        int[] labels = fit.labels();
        StringBuilder s = new StringBuilder("path,content_hash,class_folder,cluster,distance_to_centre\n");
        for (int i = 0; i < labels.length; i++) {
            Embeddings.Item item = embeddings.items().get(i);
            s.append(Csv.field(item.path())).append(',').append(item.contentHash()).append(',')
                    .append(Csv.field(item.classFolder())).append(',').append(name(labels[i])).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", Math.sqrt(fit.distance(unit[i], labels[i])))).append('\n');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Lays the images out as {@code dir/cluster-01/...}: symbolic links where the file system allows,
     * copies otherwise; a file's name is its relative path with '/' turned into "__".
     *
     * @return whether links were made (false: copies)
     * @throws IllegalArgumentException when {@code dir} exists and is not empty
     */
    public boolean writeFolders(Path dir) {
        List<Path> sources = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        int[] labels = fit.labels();
        for (int i = 0; i < labels.length; i++) {
            sources.add(embeddings.file(i));
            targets.add(name(labels[i]) + "/" + embeddings.items().get(i).path().replace("/", "__"));
        }
        return FolderLayout.write(dir, "--write-folders", sources, targets);
    }
}
