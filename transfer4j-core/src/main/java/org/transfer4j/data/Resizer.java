package org.transfer4j.data;

/**
 * Resize and centre crop, exactly as torchvision 0.14 does on PIL images:
 * {@code Resize(n)} resizes the shorter side to n and the longer to {@code int(n * long / short)}
 * with PIL's antialiased bilinear filter (a triangle filter whose support grows with the downscale
 * factor, 22-bit fixed-point coefficients, a horizontal pass rounded to 8 bits, then a vertical
 * pass); {@code CenterCrop(c)} takes the window at {@code round((size - c) / 2)} with Python's
 * round-half-even, padding with black when the image is smaller than the crop.
 *
 * <p>Only the pixels inside the crop window are computed; each is identical to PIL's.
 */
final class Resizer {

    /** PIL's {@code PRECISION_BITS} for 8-bit images. */
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private Resizer() {
    }

    /** Output size of torchvision's {@code Resize(size)} for a {@code w × h} image: {width, height}. */
    static int[] resizedSize(int w, int h, int size) {
        int shortSide = Math.min(w, h);
        int longSide = Math.max(w, h);
        int newLong = (int) ((double) size * longSide / shortSide);
        return w <= h ? new int[] {size, newLong} : new int[] {newLong, size};
    }

    /** Top-left corner of torchvision's centre crop in an image of the given size (may be negative: padding). */
    static int cropOffset(int size, int crop) {
        if (crop > size) {
            int padded = size + (crop - size) / 2 + (crop - size + 1) / 2;
            return (int) Math.rint((padded - crop) / 2.0) - (crop - size) / 2;
        }
        return (int) Math.rint((size - crop) / 2.0);
    }

    /**
     * Resizes and crops packed RGB pixels ({@code 0xRRGGBB}, row-major {@code w × h}) into a
     * {@code crop × crop} packed RGB array.
     */
    static int[] resizeAndCrop(int[] src, int w, int h, Preprocessing p) {
        int[] size = p.squash() ? new int[] {p.resize(), p.resize()} : resizedSize(w, h, p.resize());
        int nw = size[0];
        int nh = size[1];
        int crop = p.crop();
        int left = cropOffset(nw, crop);
        int top = cropOffset(nh, crop);
        int x0 = Math.max(0, left);
        int x1 = Math.min(nw, left + crop);
        int y0 = Math.max(0, top);
        int y1 = Math.min(nh, top + crop);
        int[] out = new int[crop * crop];
        if (x1 <= x0 || y1 <= y0) {
            return out;
        }
        // Horizontal pass over the source rows the vertical pass needs.
        Coefficients vert = nh != h ? coefficients(h, nh) : null;
        int rowFirst = vert != null ? vert.first(y0) : y0;
        int rowLast = vert != null ? vert.last(y1 - 1) : y1;
        int cols = x1 - x0;
        int[] temp = new int[(rowLast - rowFirst) * cols];
        Coefficients horiz = nw != w ? coefficients(w, nw) : null;
        for (int sy = rowFirst; sy < rowLast; sy++) {
            int rowBase = sy * w;
            int tempBase = (sy - rowFirst) * cols;
            for (int x = x0; x < x1; x++) {
                temp[tempBase + x - x0] = horiz != null ? horiz.apply(src, rowBase, 1, x) : src[rowBase + x];
            }
        }
        // Vertical pass, written straight into the crop window.
        for (int y = y0; y < y1; y++) {
            int outBase = (y - top) * crop - left;
            for (int x = x0; x < x1; x++) {
                out[outBase + x] = vert != null
                        ? vert.apply(temp, (x - x0) - rowFirst * cols, cols, y)
                        : temp[(y - rowFirst) * cols + x - x0];
            }
        }
        return out;
    }

    /** PIL's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for the bilinear filter. */
    static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 1.0 * filterScale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        int[] kk = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double ww = 0;
            for (int x = 0; x < xmax; x++) {
                double t = Math.abs((x + xmin - center + 0.5) * ss);
                k[x] = t < 1.0 ? 1.0 - t : 0.0;
                ww += k[x];
            }
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0.0 ? k[x] / ww : k[x];
                kk[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                        : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            start[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coefficients(ksize, start, count, kk);
    }

    /** Fixed-point filter taps for every output position of one axis. */
    record Coefficients(int ksize, int[] start, int[] count, int[] kk) {

        /** First source index used by output {@code i}. */
        int first(int i) {
            return start[i];
        }

        /** One past the last source index used by output {@code i}. */
        int last(int i) {
            return start[i] + count[i];
        }

        /**
         * Filters packed RGB {@code data[base + s * stride]} over the taps of output {@code i},
         * rounding and clipping to 8 bits per channel as PIL does.
         */
        int apply(int[] data, int base, int stride, int i) {
            int r = HALF;
            int g = HALF;
            int b = HALF;
            int k0 = i * ksize;
            int idx = base + start[i] * stride;
            for (int t = 0, n = count[i]; t < n; t++, idx += stride) {
                int p = data[idx];
                int c = kk[k0 + t];
                r += ((p >> 16) & 0xFF) * c;
                g += ((p >> 8) & 0xFF) * c;
                b += (p & 0xFF) * c;
            }
            return clip8(r) << 16 | clip8(g) << 8 | clip8(b);
        }

        private static int clip8(int v) {
            int x = v >> PRECISION_BITS;
            return x < 0 ? 0 : Math.min(x, 255);
        }
    }
}
