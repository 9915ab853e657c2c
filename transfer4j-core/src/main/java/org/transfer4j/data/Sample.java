package org.transfer4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * One labelled image of a dataset.
 *
 * @param file the image file (absolute)
 * @param classIndex index into the dataset's sorted class names
 */
public record Sample(Path file, int classIndex) {

    public Sample {
        Objects.requireNonNull(file, "file");
        if (classIndex < 0) {
            throw new IllegalArgumentException("classIndex must be >= 0, got " + classIndex + " for " + file);
        }
    }

    /**
     * A seeded random sample of {@code n} of the images (all of them, shuffled, when there are fewer):
     * the same seed and list give the same sample.
     */
    public static List<Sample> seeded(List<Sample> samples, int n, long seed) {
        List<Sample> shuffled = new ArrayList<>(samples);
        Collections.shuffle(shuffled, new Random(seed));
        return shuffled.subList(0, Math.min(n, shuffled.size()));
    }
}
