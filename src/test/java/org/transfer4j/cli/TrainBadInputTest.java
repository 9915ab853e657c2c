package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.data.SyntheticImages;

/** {@code transfer4j train} on bad data: one clear line, exit code 1, no stack trace, no bundle. */
class TrainBadInputTest {

    @TempDir
    Path tmp;

    private CliRun train(Path data) {
        return CliRun.of("train", data.toString(), "--weights-dir", SharedData.pretrained().toString(),
                "--out", tmp.resolve("out/model").toString(), "--epochs", "2");
    }

    private void assertFailedCleanly(CliRun run, String expected) throws IOException {
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(expected);
        assertThat(run.err().lines().filter(l -> l.startsWith("transfer4j:")).count()).isEqualTo(1);
        assertThat(run.hasStackTrace()).isFalse();
        assertThat(tmp.resolve("out/model")).doesNotExist();
        if (Files.exists(tmp.resolve("out"))) {
            try (Stream<Path> left = Files.list(tmp.resolve("out"))) {
                assertThat(left).as("no temporary bundle left behind").isEmpty();
            }
        }
    }

    @Test
    void missingDirectory() throws IOException {
        assertFailedCleanly(train(tmp.resolve("nowhere")), "does not exist");
    }

    @Test
    void emptyFolder() throws IOException {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertFailedCleanly(train(empty), "empty");
    }

    @Test
    void singleClass() throws IOException {
        Path data = tmp.resolve("one");
        SyntheticImages.write(data, 1, 6, 64, 1);
        assertFailedCleanly(train(data), "class");
    }

    @Test
    void classWithoutImages() throws IOException {
        Path data = tmp.resolve("data");
        SyntheticImages.write(data, 2, 6, 64, 1);
        Files.createDirectories(data.resolve("zebra"));
        Files.writeString(data.resolve("zebra/notes.jpg"), "not an image");
        assertFailedCleanly(train(data), "zebra");
    }

    @Test
    void unknownBackboneListsTheKnownOnes() throws IOException {
        Path data = tmp.resolve("data");
        SyntheticImages.write(data, 2, 6, 64, 1);
        CliRun run = CliRun.of("train", data.toString(), "--backbone", "resnet1000", "--out",
                tmp.resolve("out/model").toString());
        assertFailedCleanly(run, "unknown backbone 'resnet1000'; known: mobilenet_v2");
    }

    @Test
    void unknownAugmentationPresetAndViewsWithoutPresetAreNamed() throws IOException {
        Path data = tmp.resolve("data");
        SyntheticImages.write(data, 2, 6, 64, 1);
        assertFailedCleanly(CliRun.of("train", data.toString(), "--augment", "heavy", "--out",
                tmp.resolve("out/model").toString()), "--augment must be none, light, standard or strong, got 'heavy'");
        assertFailedCleanly(CliRun.of("train", data.toString(), "--aug-views", "3", "--out",
                tmp.resolve("out/model").toString()), "--aug-views 3 needs --augment light, standard or strong");
    }

    @Test
    void unreadableImagesAreSkippedListedAndTrainingCompletes() throws IOException {
        Path data = tmp.resolve("data");
        SyntheticImages.write(data, 2, 10, 64, 3);
        Path classDir;
        try (Stream<Path> dirs = Files.list(data)) {
            classDir = dirs.filter(Files::isDirectory).sorted().findFirst().orElseThrow();
        }
        Files.write(classDir.resolve("zero.jpg"), new byte[0]);
        Files.writeString(classDir.resolve("text.jpg"), "hello, I am not a JPEG");
        byte[] good = Files.readAllBytes(Files.list(classDir).filter(p -> p.getFileName().toString().startsWith("img_")).sorted()
                .findFirst().orElseThrow());
        Files.write(classDir.resolve("truncated.jpg"), java.util.Arrays.copyOf(good, good.length / 2));

        CliRun run = train(data);
        assertThat(run.exitCode()).isZero();
        assertThat(run.hasStackTrace()).isFalse();
        assertThat(run.err()).contains("zero.jpg").contains("text.jpg").contains("truncated.jpg");
        assertThat(run.out()).contains("epoch 2/2");
        assertThat(tmp.resolve("out/model/manifest.json")).isNotEmptyFile();
    }
}
