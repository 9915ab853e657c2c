package org.transfer4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;

class ImageFolderTest {

    @TempDir
    Path dir;

    @Test
    void singleFolderIsSplitPerClassReproducibly() {
        List<Path> files = SyntheticImages.write(dir, 3, 10, 32, 1);
        ImageFolder a = ImageFolder.scan(dir, 0.2, 5);
        assertThat(a.classNames()).containsExactly("class0", "class1", "class2");
        assertThat(a.trainCounts()).containsExactly(8, 8, 8);
        assertThat(a.testCounts()).containsExactly(2, 2, 2);
        Set<Path> all = new HashSet<>();
        a.train().forEach(s -> all.add(s.file()));
        a.test().forEach(s -> assertThat(all.add(s.file())).as("in both splits: %s", s).isTrue());
        assertThat(all).containsExactlyInAnyOrderElementsOf(files);
        for (Sample s : a.train()) {
            assertThat(s.file().getParent().getFileName().toString()).isEqualTo(a.classNames().get(s.classIndex()));
        }
        assertThat(ImageFolder.scan(dir, 0.2, 5)).isEqualTo(a);
        assertThat(ImageFolder.scan(dir, 0.2, 6).testPaths()).isNotEqualTo(a.testPaths());
        assertThat(a.description()).contains("20%").contains("seed 5");
    }

    @Test
    void savedSplitRestoresTheSameDataset() throws IOException {
        SyntheticImages.write(dir, 2, 6, 32, 2);
        ImageFolder scanned = ImageFolder.scan(dir, 0.2, 42);
        assertThat(scanned.testPaths()).allMatch(p -> p.matches("class[01]/img_\\d{3}\\.jpg"));
        ImageFolder restored = ImageFolder.fromPaths(dir, scanned.classNames(), scanned.trainPaths(), List.of(), scanned.testPaths());
        assertThat(restored.train()).isEqualTo(scanned.train());
        assertThat(restored.test()).isEqualTo(scanned.test());
        Files.delete(dir.resolve(scanned.testPaths().get(0)));
        assertThatThrownBy(() -> ImageFolder.fromPaths(dir, scanned.classNames(), scanned.trainPaths(), List.of(), scanned.testPaths()))
                .isInstanceOf(DatasetException.class).hasMessageContaining(scanned.testPaths().get(0))
                .hasMessageContaining("is gone");
    }

    @Test
    void trainAndValFoldersAreUsedAsGiven() {
        SyntheticImages.write(dir.resolve("train"), 2, 4, 32, 3);
        SyntheticImages.write(dir.resolve("valid"), 2, 2, 32, 4);
        ImageFolder f = ImageFolder.scan(dir, 0.2, 42);
        assertThat(f.trainCounts()).containsExactly(4, 4);
        assertThat(f.testCounts()).containsExactly(2, 2);
        assertThat(f.testPaths()).allMatch(p -> p.startsWith("valid/"));
        assertThat(f.description()).isEqualTo("folders train/ and valid/");
    }

    @Test
    void kaggleNestedTrainingSetAndTestSet() {
        SyntheticImages.write(dir.resolve("training_set/training_set"), 2, 3, 32, 5);
        SyntheticImages.write(dir.resolve("test_set/test_set"), 2, 1, 32, 6);
        ImageFolder f = ImageFolder.scan(dir, 0.2, 42);
        assertThat(f.classNames()).containsExactly("class0", "class1");
        assertThat(f.train()).hasSize(6);
        assertThat(f.test()).hasSize(2);
        ImageFolder restored = ImageFolder.fromPaths(dir, f.classNames(), f.trainPaths(), List.of(), f.testPaths());
        assertThat(restored.test()).isEqualTo(f.test());
    }

    @Test
    void filesAreJudgedByContentAndHiddenOnesIgnored() throws IOException {
        SyntheticImages.write(dir, 2, 5, 32, 7);
        Path class0 = dir.resolve("class0");
        Files.copy(class0.resolve("img_000.jpg"), class0.resolve("really_a_jpeg.txt"));
        Files.writeString(class0.resolve("readme.jpg"), "not a picture", StandardCharsets.UTF_8);
        Files.write(class0.resolve("empty.png"), new byte[0]);
        Files.writeString(class0.resolve(".DS_Store"), "junk");
        Files.createDirectories(dir.resolve(".ipynb_checkpoints"));
        ImageFolder f = ImageFolder.scan(dir, 0.2, 42);
        assertThat(f.classNames()).containsExactly("class0", "class1");
        assertThat(f.trainCounts()[0] + f.testCounts()[0]).isEqualTo(6);
        assertThat(f.skipped()).extracting(s -> s.file().getFileName().toString())
                .containsExactly("empty.png", "readme.jpg");
        assertThat(f.skipped().get(0).reason()).contains("empty");
        assertThat(f.skipped().get(1).reason()).contains("not an image");
    }

    @Test
    void missingFolderTeachesTheLayout() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> ImageFolder.scan(missing)).isInstanceOf(DatasetException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist")
                .hasMessageContaining("one sub-folder of images per class");
    }

    @Test
    void emptyFolderAndLooseImagesAreExplained() throws IOException {
        assertThatThrownBy(() -> ImageFolder.scan(dir)).hasMessageContaining("no class folders");
        Files.copy(SyntheticImages.write(dir.resolve("tmp"), 1, 1, 32, 1).get(0), dir.resolve("a.jpg"));
        deleteTree(dir.resolve("tmp"));
        assertThatThrownBy(() -> ImageFolder.scan(dir)).hasMessageContaining("holds 1 images directly")
                .hasMessageContaining("move them into one sub-folder per class");
    }

    @Test
    void singleClassIsRefused() {
        SyntheticImages.write(dir, 1, 5, 32, 8);
        assertThatThrownBy(() -> ImageFolder.scan(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("only one class folder ('class0')").hasMessageContaining("at least two");
    }

    @Test
    void classFolderWithoutImagesIsNamed() throws IOException {
        SyntheticImages.write(dir, 2, 5, 32, 9);
        Files.createDirectories(dir.resolve("zebra"));
        Files.writeString(dir.resolve("zebra/list.txt"), "to do: find zebras");
        assertThatThrownBy(() -> ImageFolder.scan(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining(dir.resolve("zebra").toString()).hasMessageContaining("has no images")
                .hasMessageContaining("list.txt: not an image");
    }

    @Test
    void tooFewImagesForTheSplitSaysHowMany() {
        SyntheticImages.write(dir, 2, 1, 32, 10);
        assertThatThrownBy(() -> ImageFolder.scan(dir, 0.2, 1)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("class0").hasMessageContaining("has 1 image;")
                .hasMessageContaining("needs at least 3 per class").hasMessageContaining("train/ and val/");
        assertThat(StratifiedSplit.minimumPerClass(0.1)).isEqualTo(5);
    }

    @Test
    void validationClassUnknownToTrainingIsRefused() {
        SyntheticImages.write(dir.resolve("train"), 2, 2, 32, 11);
        SyntheticImages.write(dir.resolve("val"), 3, 1, 32, 12);
        assertThatThrownBy(() -> ImageFolder.scan(dir)).hasMessageContaining("val/class2")
                .hasMessageContaining("no training counterpart");
    }

    /**
     * Same classes, files and labels as torchvision's ImageFolder, on the real datasets, except that
     * torchvision judges by extension and leaves out GIFs, which we read.
     */
    @Test
    @Tag("shared")
    void realDatasetsMatchTorchvisionImageFolder() throws Exception {
        for (String name : List.of("hymenoptera", "cats_dogs")) {
            Path root = SharedData.dataset(name);
            ImageFolder f = ImageFolder.scan(root, 0.2, 42);
            assertThat(f.skipped()).as(name).isEmpty();
            List<Sample> both = new ArrayList<>(f.train());
            String trainFolder = f.trainPaths().get(0).split("/")[0];
            String valFolder = f.testPaths().get(0).split("/")[0];
            for (String split : List.of(trainFolder, valFolder)) {
                JsonNode ref = new ObjectMapper().readTree(
                        TorchvisionReference.python("imagefolder_reference.py", List.of(root.resolve(split).toString())));
                List<String> classes = new ArrayList<>();
                ref.get("classes").forEach(c -> classes.add(c.asText()));
                assertThat(f.classNames()).isEqualTo(classes);
                List<Sample> expected = new ArrayList<>();
                ref.get("samples").forEach(s -> expected.add(new Sample(Path.of(s.get(0).asText()), s.get(1).asInt())));
                List<Sample> mine = split.equals(trainFolder) ? f.train() : f.test();
                List<Sample> extra = mine.stream().filter(m -> !expected.contains(m)).toList();
                assertThat(extra).as("beyond torchvision in %s/%s", name, split)
                        .allMatch(m -> m.file().toString().endsWith(".gif"));
                assertThat(mine.stream().filter(m -> !extra.contains(m)).toList()).as(name + "/" + split)
                        .isEqualTo(expected);
            }
            both.addAll(f.test());
            assertThat(both).hasSizeGreaterThan(300);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(x);
            }
        }
    }

    @Test
    void theValidationSplitIsCarvedFromTrainingStratifiedAndSeeded(@TempDir Path dir) throws IOException {
        SyntheticImages.write(dir, 3, 11, 16, 1);
        ImageFolder f = ImageFolder.scan(dir, 0.2, 0.1, 5);
        assertThat(f.testCounts()).containsExactly(2, 2, 2);
        assertThat(f.validationCounts()).as("max(1, round(9 * 0.1)) of each class").containsExactly(1, 1, 1);
        assertThat(f.trainCounts()).containsExactly(8, 8, 8);
        java.util.Set<Path> all = new java.util.HashSet<>();
        for (List<Sample> split : List.of(f.train(), f.validation(), f.test())) {
            split.forEach(s -> assertThat(all.add(s.file())).as("in one split only: %s", s).isTrue());
        }
        assertThat(ImageFolder.scan(dir, 0.2, 0.1, 5)).isEqualTo(f);
        assertThat(ImageFolder.scan(dir, 0.2, 0.1, 5).testPaths())
                .as("the validation share does not move the test split").isEqualTo(ImageFolder.scan(dir, 0.2, 5).testPaths());
        assertThat(ImageFolder.scan(dir, 0.2, 0.5, 5).validationCounts()).as("round(4.5)").containsExactly(5, 5, 5);
        assertThat(ImageFolder.scan(dir, 0.2, 0, 5).validation()).isEmpty();
        ImageFolder restored = ImageFolder.fromPaths(dir, f.classNames(), f.trainPaths(), f.validationPaths(),
                f.testPaths());
        assertThat(restored.validation()).isEqualTo(f.validation());
    }

    @Test
    void aClassWithOneTrainingImageCannotGiveAValidationImage(@TempDir Path dir) throws IOException {
        SyntheticImages.write(dir.resolve("train"), 2, 1, 16, 1);
        SyntheticImages.write(dir.resolve("val"), 2, 1, 16, 2);
        assertThatThrownBy(() -> ImageFolder.scan(dir, 0.2, 0.1, 5)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("1 training image").hasMessageContaining("--val-split 0");
        assertThat(ImageFolder.scan(dir, 0.2, 0, 5).train()).hasSize(2);
    }
}
