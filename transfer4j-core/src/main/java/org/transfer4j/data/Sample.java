package org.transfer4j.data;

import java.nio.file.Path;
import java.util.Objects;

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
}
