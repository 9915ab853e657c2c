package org.transfer4j.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file that was left out of a dataset or a batch, with the reason in words.
 *
 * @param file the file
 * @param reason why it was left out, e.g. "empty file (0 bytes)" or "not an image (starts with text)"
 */
public record SkippedFile(Path file, String reason) {

    public SkippedFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
