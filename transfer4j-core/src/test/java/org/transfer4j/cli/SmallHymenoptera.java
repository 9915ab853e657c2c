package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.transfer4j.SharedData;

/**
 * A small copy of hymenoptera (train/ and val/, {@value #TRAIN_PER_CLASS} and {@value #VAL_PER_CLASS}
 * images per class, the first by name) and a model trained on it by {@code transfer4j train}, so that
 * the commands that read a model test quickly.
 */
final class SmallHymenoptera {

    static final int TRAIN_PER_CLASS = 10;
    static final int VAL_PER_CLASS = 5;
    static final List<String> CLASSES = List.of("ants", "bees");

    private SmallHymenoptera() {
    }

    /** Copies the images into {@code dir/data} and returns that folder. */
    static Path data(Path dir) throws IOException {
        Path data = dir.resolve("data");
        for (String split : List.of("train", "val")) {
            for (String cls : CLASSES) {
                Path from = SharedData.dataset("hymenoptera").resolve(split).resolve(cls);
                Path to = Files.createDirectories(data.resolve(split).resolve(cls));
                try (Stream<Path> files = Files.list(from)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".jpg")).sorted()
                            .limit(split.equals("train") ? TRAIN_PER_CLASS : VAL_PER_CLASS).toList()) {
                        Files.copy(f, to.resolve(f.getFileName()));
                    }
                }
            }
        }
        return data;
    }

    /** Trains a model on {@code data} for 2 epochs with the CLI and returns its bundle, {@code dir/model}. */
    static Path train(Path data, Path dir) {
        Path bundle = dir.resolve("model");
        CliRun run = CliRun.of("train", data.toString(), "--weights-dir", SharedData.pretrained().toString(),
                "--epochs", "2", "--out", bundle.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return bundle;
    }
}
