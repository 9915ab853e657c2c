package org.transfer4j.data;

import java.util.List;
import java.util.Objects;

/**
 * A batch of preprocessed images, ready for a network: {@code size()} images of
 * {@link Preprocessing#floatsPerImage()} floats each, CHW order, one after the other.
 *
 * @param pixels exactly {@code size() * floatsPerImage} floats (shape {@code [size, 3, crop, crop]})
 * @param samples the images in this batch, in input order (skipped ones are not among them)
 * @param positions for each image, its index in the list given to the {@link BatchLoader}
 * @param skipped images of this batch that could not be read, with the reason
 */
public record Batch(float[] pixels, List<Sample> samples, int[] positions, List<SkippedFile> skipped) {

    public Batch {
        Objects.requireNonNull(pixels, "pixels");
        samples = List.copyOf(samples);
        skipped = List.copyOf(skipped);
        if (positions.length != samples.size()) {
            throw new IllegalArgumentException(positions.length + " positions for " + samples.size() + " samples");
        }
    }

    /** Number of images in the batch. */
    public int size() {
        return samples.size();
    }
}
