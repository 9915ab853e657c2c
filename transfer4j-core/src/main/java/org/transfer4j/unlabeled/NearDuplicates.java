package org.transfer4j.unlabeled;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Pairs of images whose L2-normalised embeddings have a cosine similarity at or above a threshold:
 * crops, flips, colour changes and re-encodings of one photo, which a perceptual hash misses (and,
 * below some threshold, look-alikes). Byte-identical files (same content hash) are left to the exact
 * duplicate finder. Compares every pair: rows² dot products.
 */
public final class NearDuplicates {

    /**
     * Default threshold. Provisional, not yet calibrated on a corpus of known copies and clean pairs: on
     * one hymenoptera photo with mobilenet_v2 (tflite-quant), a quality-40 re-encode scored 0.921, a
     * horizontal flip 0.939 and a crop to 69 % of the area 0.903, while the most similar other photo of
     * the folder scored 0.62. The value depends on the backbone.
     */
    public static final double DEFAULT_MIN_COSINE = 0.85;

    /**
     * Two images with similar content.
     *
     * @param first row of one image
     * @param second row of the other, greater than {@code first}
     * @param cosine cosine similarity of their embeddings
     */
    public record Pair(int first, int second, float cosine) {
    }

    private NearDuplicates() {
    }

    /** The pairs at or above {@code minCosine}, most similar first. */
    public static List<Pair> find(Embeddings e, double minCosine) {
        if (!(minCosine > 0 && minCosine <= 1)) {
            throw new IllegalArgumentException("--min-cosine must be in (0, 1], got " + minCosine);
        }
        float[][] unit = e.normalised();
        List<Embeddings.Item> items = e.items();
        List<List<Pair>> perRow = IntStream.range(0, unit.length).parallel().mapToObj(i -> {
            List<Pair> found = new ArrayList<>();
            for (int j = i + 1; j < unit.length; j++) {
                float c = VectorMath.dot(unit[i], unit[j]);
                if (c >= minCosine && !items.get(i).contentHash().equals(items.get(j).contentHash())) {
                    found.add(new Pair(i, j, c));
                }
            }
            return found;
        }).toList();
        List<Pair> all = new ArrayList<>();
        perRow.forEach(all::addAll);
        all.sort(Comparator.comparingDouble((Pair p) -> -p.cosine()).thenComparingInt(Pair::first)
                .thenComparingInt(Pair::second));
        return List.copyOf(all);
    }
}
