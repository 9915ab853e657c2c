package org.transfer4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listing of relative paths (what the Spark job and {@code train --features} see) gives the layout,
 * labels and the three splits that a walk of the same folder gives.
 */
class ImageLayoutTest {

    @TempDir
    Path dir;

    @Test
    void flatFolderListingSplitsAsTheScan() throws IOException {
        SyntheticImages.write(dir, 3, 12, 32, 1);
        assertSameAsScan(0.2, 0.1, 5);
        assertSameAsScan(0, 0.25, 9);
    }

    @Test
    void trainAndValFoldersListingSplitsAsTheScan() throws IOException {
        SyntheticImages.write(dir.resolve("train"), 2, 8, 32, 3);
        SyntheticImages.write(dir.resolve("valid"), 2, 3, 32, 4);
        ImageLayout layout = assertSameAsScan(0.2, 0.1, 42);
        assertThat(layout).isEqualTo(new ImageLayout("train", "valid"));
        String image = "valid/" + SyntheticImages.className(1) + "/x.png";
        assertThat(layout.split(image)).isEqualTo(ImageLayout.TEST);
        assertThat(layout.label(image)).isEqualTo(SyntheticImages.className(1));
        assertThat(layout.label("train/loose.png")).isNull();
    }

    @Test
    void kaggleNestedFoldersAreUnnested() throws IOException {
        SyntheticImages.write(dir.resolve("training_set/training_set"), 2, 4, 32, 5);
        SyntheticImages.write(dir.resolve("test_set/test_set"), 2, 2, 32, 6);
        assertThat(assertSameAsScan(0.2, 0.1, 1))
                .isEqualTo(new ImageLayout("training_set/training_set", "test_set/test_set"));
    }

    private ImageLayout assertSameAsScan(double test, double validation, long seed) throws IOException {
        ImageLayout layout = ImageLayout.detect(subfolders(dir), rel -> subfolders(dir.resolve(rel)));
        List<String> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.filter(Files::isRegularFile).map(p -> DatasetScanner.relative(dir, p)).sorted().toList();
        }
        ImageFolder scanned = ImageFolder.scan(dir, test, validation, seed);
        ImageFolder listed = ImageFolder.fromListing(dir, layout, paths, test, validation, seed);
        assertThat(listed.classNames()).isEqualTo(scanned.classNames());
        assertThat(listed.train()).isEqualTo(scanned.train());
        assertThat(listed.validation()).isEqualTo(scanned.validation());
        assertThat(listed.test()).isEqualTo(scanned.test());
        assertThat(listed.description()).isEqualTo(scanned.description());
        return layout;
    }

    private static List<String> subfolders(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
