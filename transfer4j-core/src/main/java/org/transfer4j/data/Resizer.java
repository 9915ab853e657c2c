package org.transfer4j.data;

/**
 * Resize and centre crop, exactly as torchvision 0.14 does on PIL images:
 * {@code Resize(n)} resizes the shorter side to n and the longer to {@code int(n * long / short)}
 * with PIL's antialiased bilinear filter (a triangle filter whose support grows with the downscale
 * factor, 22-bit fixed-point coefficients, a horizontal pass rounded to 8 bits, then a vertical
 * pass); {@code CenterCrop(c)} takes the window at {@code round((size - c) / 2)} with Python's
 * round-half-even, padding with black when the image is smaller than the crop.
 *
 * <p>Only the pixels inside the crop window are computed; each is identical to PIL's. The source is
 * packed RGB ints or the JPEG reader's interleaved BGR bytes, read as they are.
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
        return resizeAndCrop(src, null, w, h, p);
    }

    /**
     * Resizes and crops interleaved 8-bit {@code B, G, R} pixels (a {@code TYPE_3BYTE_BGR} raster,
     * row-major {@code w × h}, as the JPEG reader makes them) into a {@code crop × crop} packed RGB
     * array; the same result as converting to packed RGB first, without the copy.
     */
    static int[] resizeAndCropBgr(byte[] bgr, int w, int h, Preprocessing p) {
        return resizeAndCrop(null, bgr, w, h, p);
    }

    /** One of {@code packed} and {@code bgr} holds the source pixels. */
    private static int[] resizeAndCrop(int[] packed, byte[] bgr, int w, int h, Preprocessing p) {
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
        // Horizontal pass over the source rows the vertical pass needs, into one plane per channel.
        Coefficients vert = nh != h ? coefficients(h, nh) : null;
        int rowFirst = vert != null ? vert.first(y0) : y0;
        int rowLast = vert != null ? vert.last(y1 - 1) : y1;
        int cols = x1 - x0;
        int rows = rowLast - rowFirst;
        int[][] temp = {new int[rows * cols], new int[rows * cols], new int[rows * cols]};
        Coefficients horiz = nw != w ? coefficients(w, nw) : null;
        for (int sy = rowFirst; sy < rowLast; sy++) {
            int tempBase = (sy - rowFirst) * cols;
            if (horiz != null) {
                horiz.filterRow(packed, bgr, sy * w, x0, x1, temp, tempBase);
            } else {
                unpack(packed, bgr, sy * w + x0, cols, temp, tempBase);
            }
        }
        // Vertical pass, a row at a time, written straight into the crop window.
        int[][] acc = {new int[cols], new int[cols], new int[cols]};
        for (int y = y0; y < y1; y++) {
            int outBase = (y - top) * crop + (x0 - left);
            if (vert != null) {
                vert.filterColumns(temp, cols, rowFirst, y, acc);
            } else {
                for (int c = 0; c < 3; c++) {
                    for (int x = 0; x < cols; x++) {
                        acc[c][x] = temp[c][(y - rowFirst) * cols + x];
                    }
                }
            }
            int[] r = acc[0];
            int[] g = acc[1];
            int[] b = acc[2];
            for (int x = 0; x < cols; x++) {
                out[outBase + x] = r[x] << 16 | g[x] << 8 | b[x];
            }
        }
        return out;
    }

    /** Copies {@code n} pixels from {@code packed} or {@code bgr} at pixel {@code from} into the planes. */
    private static void unpack(int[] packed, byte[] bgr, int from, int n, int[][] planes, int to) {
        for (int i = 0; i < n; i++) {
            if (packed != null) {
                int p = packed[from + i];
                planes[0][to + i] = (p >> 16) & 0xFF;
                planes[1][to + i] = (p >> 8) & 0xFF;
                planes[2][to + i] = p & 0xFF;
            } else {
                int j = 3 * (from + i);
                planes[0][to + i] = bgr[j + 2] & 0xFF;
                planes[1][to + i] = bgr[j + 1] & 0xFF;
                planes[2][to + i] = bgr[j] & 0xFF;
            }
        }
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
         * Filters one source row for outputs {@code x0 .. x1 - 1}, rounding and clipping to 8 bits per
         * channel as PIL does, into the three planes at {@code to}. The row is packed RGB ints
         * ({@code packed[rowBase ..]}) or, when {@code packed} is null, interleaved {@code B, G, R}
         * bytes ({@code bgr[3 * rowBase ..]}).
         */
        void filterRow(int[] packed, byte[] bgr, int rowBase, int x0, int x1, int[][] planes, int to) {
            int[] r = planes[0];
            int[] g = planes[1];
            int[] b = planes[2];
            for (int x = x0; x < x1; x++) {
                int sr = HALF;
                int sg = HALF;
                int sb = HALF;
                int k0 = x * ksize;
                int n = count[x];
                if (packed != null) {
                    for (int t = 0, idx = rowBase + start[x]; t < n; t++, idx++) {
                        int p = packed[idx];
                        int c = kk[k0 + t];
                        sr += ((p >> 16) & 0xFF) * c;
                        sg += ((p >> 8) & 0xFF) * c;
                        sb += (p & 0xFF) * c;
                    }
                } else {
                    for (int t = 0, idx = 3 * (rowBase + start[x]); t < n; t++, idx += 3) {
                        int c = kk[k0 + t];
                        sb += (bgr[idx] & 0xFF) * c;
                        sg += (bgr[idx + 1] & 0xFF) * c;
                        sr += (bgr[idx + 2] & 0xFF) * c;
                    }
                }
                int i = to + x - x0;
                r[i] = clip8(sr);
                g[i] = clip8(sg);
                b[i] = clip8(sb);
            }
        }

        /**
         * Filters output row {@code y} from the planes of {@code cols}-wide rows that start at source
         * row {@code rowFirst}, rounding and clipping as PIL does, into {@code acc} (one array per
         * channel). Row by row, so that the inner loop runs along memory.
         */
        void filterColumns(int[][] planes, int cols, int rowFirst, int y, int[][] acc) {
            int k0 = y * ksize;
            for (int c = 0; c < 3; c++) {
                int[] plane = planes[c];
                int[] sum = acc[c];
                java.util.Arrays.fill(sum, HALF);
                for (int t = 0, n = count[y]; t < n; t++) {
                    int coeff = kk[k0 + t];
                    int base = (start[y] + t - rowFirst) * cols;
                    for (int x = 0; x < cols; x++) {
                        sum[x] += plane[base + x] * coeff;
                    }
                }
                for (int x = 0; x < cols; x++) {
                    sum[x] = clip8(sum[x]);
                }
            }
        }

        private static int clip8(int v) {
            int x = v >> PRECISION_BITS;
            return x < 0 ? 0 : Math.min(x, 255);
        }
    }
}
