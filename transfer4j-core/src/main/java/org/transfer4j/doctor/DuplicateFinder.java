package org.transfer4j.doctor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds exact duplicates (same content hash) and near duplicates (perceptual hashes within a Hamming
 * distance) among images.
 *
 * <p>Near pairs are found without comparing every pair: the 128 hash bits are cut into
 * {@code maxDistance + 1} bands, and two hashes within {@code maxDistance} bits agree exactly on at
 * least one band (pigeonhole), so only images sharing a band value are compared. A pair is counted in
 * the first band where it agrees, so no pair is reported twice.
 */
public final class DuplicateFinder {

    /** Default largest Hamming distance (of 128 bits) for a near duplicate. */
    public static final int DEFAULT_MAX_DISTANCE = 12;

    /** Near-duplicate detection ignores images whose thumbnail is flatter than this (blank images match each other). */
    static final double MIN_CONTRAST = 2.0;

    /**
     * Two images that are the same photo.
     *
     * @param first index of one image
     * @param second index of the other, greater than {@code first}
     * @param distance Hamming distance of their perceptual hashes; 0 for an exact copy
     * @param exact same bytes
     */
    public record Pair(int first, int second, int distance, boolean exact) {
    }

    private final int maxDistance;

    /** @param maxDistance largest Hamming distance of a near duplicate, 0..63 */
    public DuplicateFinder(int maxDistance) {
        if (maxDistance < 0 || maxDistance > 63) {
            throw new IllegalArgumentException("near-duplicate distance must be 0..63 bits of 128, got " + maxDistance);
        }
        this.maxDistance = maxDistance;
    }

    /** Pairs of byte-identical files (every pair of each group), sorted. */
    public static List<Pair> exact(List<String> shas) {
        Map<String, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < shas.size(); i++) {
            if (shas.get(i) != null) {
                groups.computeIfAbsent(shas.get(i), k -> new ArrayList<>()).add(i);
            }
        }
        List<Pair> pairs = new ArrayList<>();
        for (List<Integer> g : groups.values()) {
            for (int a = 0; a < g.size(); a++) {
                for (int b = a + 1; b < g.size(); b++) {
                    pairs.add(new Pair(g.get(a), g.get(b), 0, true));
                }
            }
        }
        pairs.sort(ORDER);
        return pairs;
    }

    /**
     * Pairs of images whose hashes are within the distance but whose bytes differ, sorted. Null
     * hashes (unreadable images) and flat images are left out.
     *
     * @param hashes perceptual hashes, null for unreadable images
     * @param shas content hashes; pairs with equal ones are exact, not near, duplicates
     */
    public List<Pair> near(List<PerceptualHash> hashes, List<String> shas) {
        int bands = maxDistance + 1;
        int[] bounds = new int[bands + 1];
        for (int b = 0; b <= bands; b++) {
            bounds[b] = b * PerceptualHash.BITS / bands;
        }
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            if (hashes.get(i) != null && hashes.get(i).contrast() >= MIN_CONTRAST) {
                usable.add(i);
            }
        }
        long[][] bandValues = new long[hashes.size()][];
        for (int i : usable) {
            bandValues[i] = new long[bands];
            for (int b = 0; b < bands; b++) {
                bandValues[i][b] = hashes.get(i).bits(bounds[b], bounds[b + 1]);
            }
        }
        List<Pair> pairs = new ArrayList<>();
        for (int b = 0; b < bands; b++) {
            Map<Long, List<Integer>> buckets = new HashMap<>();
            for (int i : usable) {
                buckets.computeIfAbsent(bandValues[i][b], k -> new ArrayList<>()).add(i);
            }
            for (List<Integer> bucket : buckets.values()) {
                for (int x = 0; x < bucket.size(); x++) {
                    for (int y = x + 1; y < bucket.size(); y++) {
                        int i = bucket.get(x);
                        int j = bucket.get(y);
                        if (agreeEarlier(bandValues[i], bandValues[j], b)) {
                            continue;
                        }
                        int d = hashes.get(i).distance(hashes.get(j));
                        boolean sameBytes = shas.get(i) != null && shas.get(i).equals(shas.get(j));
                        if (d <= maxDistance && !sameBytes) {
                            pairs.add(new Pair(Math.min(i, j), Math.max(i, j), d, false));
                        }
                    }
                }
            }
        }
        pairs.sort(ORDER);
        return pairs;
    }

    private static boolean agreeEarlier(long[] a, long[] b, int band) {
        for (int k = 0; k < band; k++) {
            if (a[k] == b[k]) {
                return true;
            }
        }
        return false;
    }

    private static final Comparator<Pair> ORDER = Comparator.comparingInt(Pair::first).thenComparingInt(Pair::second);
}
