package org.transfer4j.realweights;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.transfer4j.data.ImageDecoder;

/** The photos of a class folder, sorted by name, decoded in batches (two decoding threads). */
final class PhotoBatches {

    static final int BATCH = 32;

    private PhotoBatches() {
    }

    static List<Path> photos(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
            assertThat(sorted).as("photos in " + folder).isNotEmpty();
            return sorted;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes the files BATCH at a time and hands each batch to {@code action}, in file order. */
    static void forEachBatch(List<Path> files, Consumer<List<BufferedImage>> action) {
        for (int start = 0; start < files.size(); start += BATCH) {
            List<BufferedImage> batch = files.subList(start, Math.min(start + BATCH, files.size()))
                    .parallelStream().map(PhotoBatches::decode).toList();
            action.accept(batch);
        }
    }

    private static BufferedImage decode(Path file) {
        try {
            return ImageDecoder.decodeRgb(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
