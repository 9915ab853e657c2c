package org.transfer4j.select;

import org.transfer4j.data.Preprocessing;
import org.transfer4j.train.FeatureExtractor;

/**
 * The no-transfer baseline of the negative-transfer check: what raw pixels alone tell apart. Each image
 * is squashed to 32×32 (its whole frame, aspect ignored) and described by two equally weighted parts:
 * its pixels averaged down to 16×16×3 with the image's mean brightness removed, and a joint RGB colour
 * histogram of 4×4×4 bins (square-rooted). Each part is L2-normalised, so the cosine similarity of two
 * descriptions is the mean of the two parts' similarities. Features go through the feature cache like
 * a backbone's ({@link #CACHE_KEY}).
 */
public final class PixelBaseline implements FeatureExtractor.Features {

    /** How images are read: the whole frame to 32×32, RGB in [0, 1]. */
    public static final Preprocessing PREPROCESSING =
            new Preprocessing(32, 32, true, new float[] {0, 0, 0}, new float[] {1, 1, 1});
    /** The feature cache's name for these descriptions (change it when the description changes). */
    public static final String CACHE_KEY = "pixel-baseline-v1-16px-hist64";
    private static final int SIDE = 32;
    private static final int SMALL = 16;
    private static final int BINS = 4;
    /** Width of a description: 16×16×3 pixels and 64 histogram bins. */
    public static final int WIDTH = SMALL * SMALL * 3 + BINS * BINS * BINS;

    @Override
    public float[][] of(float[] pixels, long[] shape) {
        int n = (int) shape[0];
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = describe(pixels, i * 3 * SIDE * SIDE);
        }
        return out;
    }

    /** The description of one 32×32 CHW image starting at {@code offset}. */
    static float[] describe(float[] chw, int offset) {
        float[] d = new float[WIDTH];
        int plane = SIDE * SIDE;
        double mean = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SMALL; y++) {
                for (int x = 0; x < SMALL; x++) {
                    int at = offset + c * plane + 2 * y * SIDE + 2 * x;
                    float v = (chw[at] + chw[at + 1] + chw[at + SIDE] + chw[at + SIDE + 1]) / 4;
                    d[c * SMALL * SMALL + y * SMALL + x] = v;
                    mean += v;
                }
            }
        }
        int pixelPart = 3 * SMALL * SMALL;
        mean /= pixelPart;
        for (int i = 0; i < pixelPart; i++) {
            d[i] -= (float) mean;
        }
        for (int p = 0; p < plane; p++) {
            int bin = 0;
            for (int c = 0; c < 3; c++) {
                int level = Math.min(BINS - 1, (int) (chw[offset + c * plane + p] * BINS));
                bin = bin * BINS + Math.max(0, level);
            }
            d[pixelPart + bin] += 1f / plane;
        }
        for (int b = pixelPart; b < WIDTH; b++) {
            d[b] = (float) Math.sqrt(d[b]);
        }
        normalise(d, 0, pixelPart);
        normalise(d, pixelPart, WIDTH);
        return d;
    }

    private static void normalise(float[] v, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) v[i] * v[i];
        }
        if (sum == 0) {
            return; // a flat image: its pixel part stays zero
        }
        float scale = (float) (1 / Math.sqrt(sum));
        for (int i = from; i < to; i++) {
            v[i] *= scale;
        }
    }
}
