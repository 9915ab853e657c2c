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

/**
 * {@code transfer4j train} on bad data or bad option values: one clear line, exit code 1 (data) or 2
 * (usage), no stack trace, no bundle.
 */
class TrainBadInputTest {

    @TempDir
    Path tmp;

    private CliRun train(Path data) {
        return CliRun.of("train", data.toString(), "--weights-dir", SharedData.pretrained().toString(),
                "--out", tmp.resolve("out/model").toString(), "--epochs", "2");
    }

    private void assertFailedCleanly(CliRun run, String expected) throws IOException {
        assertFailedCleanly(run, 1, expected);
    }

    private void assertFailedCleanly(CliRun run, int exitCode, String expected) throws IOException {
        assertThat(run.exitCode()).isEqualTo(exitCode);
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
    void unknownBackboneIsUsageAndListsTheKnownOnesBeforeTheDataIsRead() throws IOException {
        // the folder does not exist: the backbone is checked first
        CliRun run = CliRun.of("train", tmp.resolve("nowhere").toString(), "--backbone", "resnet1000", "--out",
                tmp.resolve("out/model").toString());
        assertFailedCleanly(run, 2, "--backbone: unknown backbone 'resnet1000'; known: mobilenet_v2");
        assertThat(run.err()).doesNotContain("nowhere");
    }

    @Test
    void badOptionValuesAreUsageErrorsNamingOptionAndValue() throws IOException {
        String data = tmp.resolve("nowhere").toString();
        String out = tmp.resolve("out/model").toString();
        assertFailedCleanly(CliRun.of("train", data, "--epochs", "0", "--out", out), 2, "--epochs must be at least 1, got 0");
        assertFailedCleanly(CliRun.of("train", data, "--epochs", "ten", "--out", out), 2, "'--epochs': 'ten'");
        assertFailedCleanly(CliRun.of("train", data, "--val-split", "1.5", "--out", out), 2,
                "--val-split must be a share in [0, 1), got 1.5");
        assertFailedCleanly(CliRun.of("train", data, "--test-split", "0", "--out", out), 2,
                "--test-split must be a share in (0, 1), got 0.0");
        assertFailedCleanly(CliRun.of("train", data, "--head", "wide", "--out", out), 2, "--head 'wide'");
        assertFailedCleanly(CliRun.of("train", data, "--mode", "partial", "--out", out), 2,
                "--mode must be frozen or finetune, got partial");
        assertFailedCleanly(CliRun.of("train", data, "--threads", "0", "--out", out), 2, "--threads must be at least 1, got 0");
        assertFailedCleanly(CliRun.of("train", data, "--no-such-option", "--out", out), 2, "--no-such-option");
    }

    @Test
    void zeroValidationSplitIsAllowed() throws IOException {
        // 0 passes the option check; the missing folder is then the (data) error
        assertFailedCleanly(CliRun.of("train", tmp.resolve("nowhere").toString(), "--val-split", "0", "--out",
                tmp.resolve("out/model").toString()), 1, "does not exist");
    }

    @Test
    void unknownAugmentationPresetAndViewsWithoutPresetAreNamed() throws IOException {
        Path data = tmp.resolve("data");
        SyntheticImages.write(data, 2, 6, 64, 1);
        assertFailedCleanly(CliRun.of("train", data.toString(), "--augment", "heavy", "--out",
                tmp.resolve("out/model").toString()), 2, "--augment must be none, light, standard or strong, got 'heavy'");
        assertFailedCleanly(CliRun.of("train", data.toString(), "--aug-views", "3", "--out",
                tmp.resolve("out/model").toString()), 2, "--aug-views 3 needs --augment light, standard or strong");
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
