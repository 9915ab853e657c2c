package org.transfer4j.doctor;

import org.transfer4j.data.DecodeOptions;
import org.transfer4j.data.ImageFolder;

/**
 * Thresholds of the data doctor. Immutable; copies via {@code with...}.
 *
 * @param maxPixels pixel limit per image, checked from the header before decoding (decompression bombs)
 * @param nearDistance largest Hamming distance (of 128 bits) between perceptual hashes of near duplicates
 * @param minImagesPerClass fewer training images than this in a class is a problem
 * @param maxImbalance largest/smallest training class above this is a problem (3 or more is a warning)
 * @param tinySide images whose shorter side is below this many pixels are called tiny
 * @param valFraction share held out per class when the folder has no val/ folder (as {@code train})
 * @param seed seed of that split (as {@code train})
 * @param threads threads for reading and hashing images
 */
public record DoctorOptions(long maxPixels, int nearDistance, int minImagesPerClass, double maxImbalance,
                            int tinySide, double valFraction, long seed, int threads) {

    public DoctorOptions {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("--max-pixels must be positive, got " + maxPixels);
        }
        if (nearDistance < 0 || nearDistance > 63) {
            throw new IllegalArgumentException("near-duplicate distance must be 0..63 bits, got " + nearDistance);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** The defaults: 100 megapixels, distance 12, 10 images per class, imbalance 10, tiny below 32 pixels. */
    public static DoctorOptions defaults() {
        return new DoctorOptions(DecodeOptions.DEFAULT_MAX_PIXELS, DuplicateFinder.DEFAULT_MAX_DISTANCE, 10, 10.0, 32,
                ImageFolder.DEFAULT_TEST_FRACTION, ImageFolder.DEFAULT_SEED, Runtime.getRuntime().availableProcessors());
    }

    public DoctorOptions withMaxPixels(long pixels) {
        return new DoctorOptions(pixels, nearDistance, minImagesPerClass, maxImbalance, tinySide, valFraction, seed, threads);
    }

    public DoctorOptions withNearDistance(int bits) {
        return new DoctorOptions(maxPixels, bits, minImagesPerClass, maxImbalance, tinySide, valFraction, seed, threads);
    }

    public DoctorOptions withSplit(double fraction, long splitSeed) {
        return new DoctorOptions(maxPixels, nearDistance, minImagesPerClass, maxImbalance, tinySide, fraction, splitSeed,
                threads);
    }

    public DoctorOptions withThreads(int n) {
        return new DoctorOptions(maxPixels, nearDistance, minImagesPerClass, maxImbalance, tinySide, valFraction, seed, n);
    }
}
