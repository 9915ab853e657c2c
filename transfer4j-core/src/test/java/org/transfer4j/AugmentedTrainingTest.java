package org.transfer4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.data.Augmentation;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.train.EpochStats;
import org.transfer4j.train.FineTuneConfig;

/**
 * Augmented training end to end on a small copy of hymenoptera (8 train and 4 val images per class)
 * with the real MobileNetV2: views are computed once and cached (a second run makes no backbone
 * pass), and the same seed gives the same run.
 */
@Tag("slow")
class AugmentedTrainingTest {

    @TempDir
    static Path root;
    private static Path data;

    @BeforeAll
    static void smallCopy() throws IOException {
        data = root.resolve("hymenoptera-small");
        for (String split : List.of("train", "val")) {
            for (String cls : List.of("ants", "bees")) {
                Path from = SharedData.dataset("hymenoptera").resolve(split).resolve(cls);
                Path to = Files.createDirectories(data.resolve(split).resolve(cls));
                try (Stream<Path> files = Files.list(from)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".jpg")).sorted()
                            .limit(split.equals("train") ? 8 : 4).toList()) {
                        Files.copy(f, to.resolve(f.getFileName()));
                    }
                }
            }
        }
    }

    // Each test uses its own empty cache, not SharedData.featureCache(): it asserts what the first run
    // computes and what the second finds in the cache.
    private static Transfer recipe(Path cache, PrintStream log) {
        return Transfer.from(data).backbone("mobilenet_v2").weightsDir(SharedData.pretrained()).cacheDir(cache)
                .log(log).progress(false).epochs(2).seed(5);
    }

    @Test
    void fineTuningOnCachedViewsIsRepeatableAndTheSecondRunMakesNoBackbonePass(@TempDir Path cache) {
        FineTuneConfig tuning = new FineTuneConfig(1, 3, 1e-4f, 1f, false, 0);
        Run first = run(recipe(cache, null).fineTune(tuning).augment(Augmentation.STANDARD, 2));
        assertThat(first.log).contains("augmentation: standard x2 views (seed 5)")
                .contains("augmentation standard x2 views (seed 5): 28 view activations computed, 0 from the cache");
        Run second = run(recipe(cache, null).fineTune(tuning).augment(Augmentation.STANDARD, 2));
        assertThat(second.log).contains("train: all 14 features from the cache, no backbone pass")
                .contains("validation: all 2 features from the cache, no backbone pass")
                .contains("test: all 8 features from the cache, no backbone pass")
                .contains("0 view activations computed, 28 from the cache")
                .doesNotContain("computed by the backbone");
        assertThat(second.history).hasSize(2 + 3).isEqualTo(first.history);
        assertThat(second.augmentation).isEqualTo(first.augmentation).isNotNull();
        assertThat(first.augmentation.toString()).contains("preset=standard").contains("views=2").contains("seed=5");

        // Other views (another seed) are other activations: computed, not taken from the cache.
        Run otherSeed = run(recipe(cache, null).seed(6).fineTune(tuning).augment(Augmentation.STANDARD, 2));
        assertThat(otherSeed.log).contains("28 view activations computed, 0 from the cache");
        // Without augmentation the plain cut activations are used and cached apart from the views.
        Run plain = run(recipe(cache, null).fineTune(tuning));
        assertThat(plain.log).doesNotContain("view activations");
        assertThat(plain.history).isNotEqualTo(first.history);
        assertThat(plain.augmentation).isNull();
    }

    @Test
    void frozenHeadTrainsOnOneCachedViewPerEpoch(@TempDir Path cache) {
        Run first = run(recipe(cache, null).epochs(4).augment(Augmentation.STRONG, 2));
        assertThat(first.log).contains("train view 0 (strong): 0 features from the cache, 14 computed")
                .contains("train view 1 (strong): 0 features from the cache, 14 computed");
        Run second = run(recipe(cache, null).epochs(4).augment(Augmentation.STRONG, 2));
        assertThat(second.log).doesNotContain("computed by the backbone");
        assertThat(second.history).hasSize(4).isEqualTo(first.history);
        Run plain = run(recipe(cache, null).epochs(4));
        assertThat(plain.history).isNotEqualTo(first.history);
    }

    private record Run(String log, List<String> history, Object augmentation) {
    }

    @SuppressWarnings("unchecked")
    private static Run run(Transfer transfer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             ImageClassifier model = transfer.log(log).train()) {
            List<String> history = new ArrayList<>();
            for (EpochStats e : model.manifest().run().history()) {
                history.add(e.trainLoss() + "/" + e.validationLoss() + "/" + e.validationAccuracy());
            }
            String text = bytes.toString(StandardCharsets.UTF_8);
            System.err.print(text);
            return new Run(text, history, model.manifest().training().augmentation());
        }
    }
}
