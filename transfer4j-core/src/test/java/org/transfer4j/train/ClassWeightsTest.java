package org.transfer4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.Transfer;
import org.transfer4j.model.ImageClassifier;

/**
 * On a 10:1 imbalanced subset of cats_dogs (200 cats, 20 dogs; the balanced test set of 500), the
 * head trained with {@code --class-weights auto} has a higher balanced accuracy than without.
 */
class ClassWeightsTest {

    private static void link(Path from, Path to, int count) throws IOException {
        Files.createDirectories(to);
        List<Path> files;
        try (Stream<Path> s = Files.list(from)) {
            files = s.sorted().limit(count).toList();
        }
        for (Path f : files) {
            Files.createSymbolicLink(to.resolve(f.getFileName()), f);
        }
    }

    private static double balancedAccuracy(Path data, TrainConfig config) {
        try (ImageClassifier model = Transfer.from(data).weightsDir(SharedData.pretrained()).cacheDir(SharedData.featureCache())
                .log(new PrintStream(new ByteArrayOutputStream())).progress(false).config(config).train()) {
            return model.manifest().run().test().balancedAccuracy();
        }
    }

    @Test
    void autoClassWeightsRaiseBalancedAccuracy(@TempDir Path dir) throws IOException {
        Path source = SharedData.dataset("cats_dogs");
        Path data = dir.resolve("imbalanced");
        link(source.resolve("train/cats"), data.resolve("train/cats"), 200);
        link(source.resolve("train/dogs"), data.resolve("train/dogs"), 20);
        link(source.resolve("test/cats"), data.resolve("test/cats"), 250);
        link(source.resolve("test/dogs"), data.resolve("test/dogs"), 250);
        TrainConfig config = TrainConfig.frozen().withHead(HeadSpec.parse("linear", 0f)).withEpochs(3);
        double plain = balancedAccuracy(data, config);
        double weighted = balancedAccuracy(data, config.withClassWeights(true));
        System.out.printf("balanced accuracy: plain %.4f, --class-weights auto %.4f%n", plain, weighted);
        assertThat(weighted).isGreaterThan(plain);
    }
}
