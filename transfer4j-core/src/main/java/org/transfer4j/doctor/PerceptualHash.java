package org.transfer4j.doctor;

import java.awt.image.BufferedImage;

/**
 * A 128-bit difference hash (dHash) of an image: the brightness gradients of a 9×8 grey thumbnail
 * along rows (64 bits) and of an 8×9 thumbnail along columns (64 bits). Re-encoding, resizing,
 * small crops and colour shifts change few bits; different photos differ in about half of them.
 *
 * @param rows bit i set when cell (i/8, i%8) is brighter than its right neighbour
 * @param columns bit i set when cell (i/8, i%8) is brighter than the cell below it
 * @param contrast largest standard deviation of a colour channel over the 9×8 thumbnail (0..255); near 0
 *     for a blank or single-colour image
 */
public record PerceptualHash(long rows, long columns, double contrast) {

    /** Number of bits. */
    public static final int BITS = 128;

    /** Hashes an image (any size, at least 1×1). */
    public static PerceptualHash of(BufferedImage rgb) {
        double[][] wide = grey(rgb, 9, 8);
        double[][] tall = grey(rgb, 8, 9);
        long r = 0;
        long c = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int bit = y * 8 + x;
                if (wide[y][x] > wide[y][x + 1]) {
                    r |= 1L << bit;
                }
                if (tall[y][x] > tall[y + 1][x]) {
                    c |= 1L << bit;
                }
            }
        }
        return new PerceptualHash(r, c, contrast(rgb));
    }

    /** Number of differing bits, 0..128. */
    public int distance(PerceptualHash other) {
        return Long.bitCount(rows ^ other.rows) + Long.bitCount(columns ^ other.columns);
    }

    /** Bits {@code from} (inclusive) to {@code to} (exclusive) of the 128, as a number (at most 63 bits). */
    long bits(int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            long word = i < 64 ? rows : columns;
            v = v << 1 | (word >>> (i & 63) & 1L);
        }
        return v;
    }

    /** Mean grey level (ITU-R 601 luma) of each cell of a {@code cols × rowsCount} grid over the image. */
    private static double[][] grey(BufferedImage img, int cols, int rowsCount) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        double[][] out = new double[rowsCount][cols];
        for (int cy = 0; cy < rowsCount; cy++) {
            int y0 = cy * h / rowsCount;
            int y1 = Math.max(y0 + 1, (cy + 1) * h / rowsCount);
            for (int cx = 0; cx < cols; cx++) {
                int x0 = cx * w / cols;
                int x1 = Math.max(x0 + 1, (cx + 1) * w / cols);
                double sum = 0;
                for (int y = y0; y < Math.min(y1, h); y++) {
                    for (int x = x0; x < Math.min(x1, w); x++) {
                        int p = argb[y * w + x];
                        sum += 0.299 * (p >> 16 & 0xFF) + 0.587 * (p >> 8 & 0xFF) + 0.114 * (p & 0xFF);
                    }
                }
                out[cy][cx] = sum / ((Math.min(y1, h) - y0) * (Math.min(x1, w) - x0));
            }
        }
        return out;
    }

    /** Largest per-channel standard deviation of the 9×8 thumbnail: a red shape on a grey of equal luma still counts. */
    private static double contrast(BufferedImage img) {
        double best = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            double[][] grid = channel(img, shift);
            double sum = 0;
            double sq = 0;
            for (double[] row : grid) {
                for (double v : row) {
                    sum += v;
                    sq += v * v;
                }
            }
            double mean = sum / 72;
            best = Math.max(best, Math.sqrt(Math.max(0, sq / 72 - mean * mean)));
        }
        return best;
    }

    private static double[][] channel(BufferedImage img, int shift) {
        int w = img.getWidth();
        int h = img.getHeight();
        double[][] out = new double[8][9];
        for (int cy = 0; cy < 8; cy++) {
            int y0 = cy * h / 8;
            int y1 = Math.min(h, Math.max(y0 + 1, (cy + 1) * h / 8));
            for (int cx = 0; cx < 9; cx++) {
                int x0 = cx * w / 9;
                int x1 = Math.min(w, Math.max(x0 + 1, (cx + 1) * w / 9));
                double sum = 0;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        sum += img.getRGB(x, y) >> shift & 0xFF;
                    }
                }
                out[cy][cx] = sum / ((y1 - y0) * (x1 - x0));
            }
        }
        return out;
    }
}
