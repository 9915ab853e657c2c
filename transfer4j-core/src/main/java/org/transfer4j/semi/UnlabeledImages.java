package org.transfer4j.semi;

import java.nio.file.Path;
import java.util.List;
import org.transfer4j.data.Sample;

/**
 * The unlabeled folder of a run ({@code train --unlabeled DIR}) seen through the backbone.
 *
 * @param root the folder (absolute, normalised)
 * @param images the images used, in row order
 * @param rows their features
 * @param excluded relative paths of the images left out because their content is also among the labelled
 *     images (train, validation or test)
 * @param skipped how many files could not be read
 * @param fingerprint SHA-256 over the sorted (relative path, content hash) lines of the images used
 */
public record UnlabeledImages(Path root, List<Sample> images, float[][] rows, List<String> excluded, int skipped,
                              String fingerprint) {

    public UnlabeledImages {
        images = List.copyOf(images);
        excluded = List.copyOf(excluded);
        if (images.size() != rows.length) {
            throw new IllegalArgumentException(images.size() + " images but " + rows.length + " feature rows");
        }
    }

    /** Number of images used. */
    public int count() {
        return rows.length;
    }
}
