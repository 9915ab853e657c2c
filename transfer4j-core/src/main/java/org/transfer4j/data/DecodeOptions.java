package org.transfer4j.data;

/**
 * Limits and hints for {@link ImageDecoder}.
 *
 * @param maxPixels largest width × height accepted, checked from the file header before any pixel
 *     is decoded (a guard against decompression bombs: a 100-byte PNG can claim 30000×30000)
 * @param targetShorterSide the shorter side the caller will resize to, or 0 for full resolution.
 *     When the source is at least 4× larger, it is decoded at reduced scale (every n-th pixel), but
 *     never below 2× this size, so that the later antialiased resize still sees enough detail
 */
public record DecodeOptions(long maxPixels, int targetShorterSide) {

    /** 100 megapixels: above any camera photo, far below what exhausts a default heap. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    public DecodeOptions {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        if (targetShorterSide < 0) {
            throw new IllegalArgumentException("targetShorterSide must be >= 0, got " + targetShorterSide);
        }
    }

    /** Full resolution, at most {@link #DEFAULT_MAX_PIXELS}. */
    public static DecodeOptions defaults() {
        return new DecodeOptions(DEFAULT_MAX_PIXELS, 0);
    }

    /** Decoding for a given preprocessing: reduced scale where the image is much larger than needed. */
    public static DecodeOptions forPreprocessing(Preprocessing preprocessing) {
        return defaults().withTargetShorterSide(preprocessing.resize());
    }

    /** A copy with another pixel limit. */
    public DecodeOptions withMaxPixels(long pixels) {
        return new DecodeOptions(pixels, targetShorterSide);
    }

    /** A copy with another target size (0: full resolution). */
    public DecodeOptions withTargetShorterSide(int side) {
        return new DecodeOptions(maxPixels, side);
    }

    /**
     * The source subsampling factor for an image of {@code width × height}: the largest n such that
     * the shorter side divided by n stays at least twice the target; 1 when no target is set.
     */
    int subsampling(int width, int height) {
        if (targetShorterSide == 0) {
            return 1;
        }
        return Math.max(1, Math.min(width, height) / (2 * targetShorterSide));
    }
}
