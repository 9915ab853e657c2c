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
     * Default threshold, for mobilenet_v2 (tflite-quant, the default backbone): {@link #calibrate} on a
     * corpus made from hymenoptera (its 398 images plus 20 crops to 70–90 % of the area, 20 horizontal
     * flips, 20 colour-jittered copies and 20 quality-40 re-encodings of training images) gave 0.8555,
     * between the highest other pair (0.834) and the copies kept; cats_dogs, on which it is reported, chose
     * nothing ({@code NearDuplicateCorpusTest}). Other backbones may need another value.
     */
    public static final double DEFAULT_MIN_COSINE = 0.855;

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

    /**
     * The threshold that makes the fewest errors on a calibration corpus: copies scoring below it plus
     * other pairs scoring at or above it. Of several equally good thresholds the highest is taken (fewer
     * false pairs on larger folders), in the middle of the gap between the two scores around it.
     *
     * @param copies cosine similarities of known copies with their originals
     * @param others cosine similarities of other pairs (those below every copy may be left out: they
     *     cannot change the choice)
     * @throws IllegalArgumentException when there is no copy
     */
    public static double calibrate(float[] copies, float[] others) {
        if (copies.length == 0) {
            throw new IllegalArgumentException("calibration needs at least one known copy");
        }
        int n = copies.length + others.length;
        float[] score = new float[n];
        boolean[] isCopy = new boolean[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            isCopy[i] = i < copies.length;
            score[i] = isCopy[i] ? copies[i] : others[i - copies.length];
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score[i]));
        // a threshold just below the i-th highest score reports scores 0..i; errors start at "every copy missed"
        int errors = copies.length;
        int best = Integer.MAX_VALUE;
        int bestAt = -1;
        for (int r = 0; r < n; r++) {
            errors += isCopy[order[r]] ? -1 : 1;
            boolean gap = r == n - 1 || score[order[r + 1]] < score[order[r]];
            if (gap && errors < best) {
                best = errors;
                bestAt = r;
            }
        }
        float lowestKept = score[order[bestAt]];
        float highestLeft = bestAt == n - 1 ? lowestKept - 0.02f : score[order[bestAt + 1]];
        return (lowestKept + highestLeft) / 2.0;
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
