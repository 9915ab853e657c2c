package org.transfer4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.model.ExportCheck;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.model.ModelException;
import org.transfer4j.model.RunRecord;
import org.transfer4j.train.FineTuneConfig;
import org.transfer4j.train.LearningRateFinder;
import org.transfer4j.train.TrainConfig;
import org.transfer4j.weights.SafetensorsReader;

/**
 * Issue 12's poisoned test split: the same run on a copy of the folder whose test labels are randomly
 * permuted (the test images moved between class folders) must make exactly the same choices (kept
 * epoch, early-stopping epoch, lr-find suggestion) and end with the same weights, bit for bit, frozen
 * and fine-tuned. Also the export check: a bundle's manifest records it, and a model.onnx whose head
 * was altered after training fails it.
 */
@Tag("shared")
@Tag("slow")
class TestSplitNeverChoosesTest {

    private static final int TRAIN_PER_CLASS = 30;
    private static final int TEST_PER_CLASS = 20;

    @TempDir
    static Path tmp;

    @Test
    void permutedTestLabelsChangeNoChoiceAndNoWeight() throws IOException {
        Path clean = dataset(tmp.resolve("clean"), false);
        Path poisoned = dataset(tmp.resolve("poisoned"), true);
        assertThat(ImageFolder.scan(poisoned, 0.2, 0.1, 42).testPaths())
                .as("the test labels really differ").isNotEqualTo(ImageFolder.scan(clean, 0.2, 0.1, 42).testPaths());

        Run frozenClean = run(clean, null);
        Run frozenPoisoned = run(poisoned, null);
        frozenClean.assertSameChoicesAndWeights(frozenPoisoned);
        assertThat(frozenPoisoned.manifest.run().test().accuracy())
                .as("the poisoned test labels do lower the test figure, which chose nothing")
                .isLessThan(frozenClean.manifest.run().test().accuracy());

        FineTuneConfig tuning = new FineTuneConfig(1, 4, 1e-3f, 1f, false, 1);
        Run tunedClean = run(clean, tuning);
        Run tunedPoisoned = run(poisoned, tuning);
        tunedClean.assertSameChoicesAndWeights(tunedPoisoned);
        assertThat(tunedClean.manifest.run().history()).hasSizeGreaterThan(TrainConfig.frozen().epochs());

        TrainConfig config = TrainConfig.frozen();
        DatasetFeatures a = recipe(clean).features();
        DatasetFeatures b = recipe(poisoned).features();
        LearningRateFinder.Options options = new LearningRateFinder.Options(1e-6, 1, 30);
        double suggestionA = new LearningRateFinder(config, options).find(a.backbone().graph(), a.train(), 2).suggestion();
        double suggestionB = new LearningRateFinder(config, options).find(b.backbone().graph(), b.train(), 2).suggestion();
        assertThat(suggestionB).as("lr-find").isEqualTo(suggestionA);
    }

    @Test
    void theManifestRecordsTheExportCheckAndAnAlteredHeadFailsIt() throws IOException {
        Path data = dataset(tmp.resolve("export"), false);
        Transfer.Outcome outcome = recipe(data).epochs(2).fit();
        try (ImageClassifier model = outcome.model()) {
            RunRecord.ExportParity parity = model.manifest().run().parity();
            assertThat(parity.split()).isEqualTo("test");
            assertThat(parity.images()).isEqualTo(2 * TEST_PER_CLASS);
            assertThat(parity.maxAbsDifference()).isLessThanOrEqualTo(ExportCheck.TOLERANCE);
            assertThat(model.manifest().provenance().modelSha256()).hasSize(64);

            byte[] onnx = model.file(ModelBundle.ONNX);
            float[] bias = SafetensorsReader.read(save(model.file(ModelBundle.HEAD))).get("head.linear1.bias").data();
            byte[] altered = alterFloat(onnx, bias);
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(ModelBundle.ONNX, altered);
            List<org.transfer4j.data.Sample> images = ImageFolder.scan(data, 0.2, 0.1, 42).test();
            float[][] trained = outcome.scoredTest().stream().map(s -> s.probabilities()).toArray(float[][]::new);
            try (ImageClassifier tampered = new ImageClassifier(model.manifest(), files)) {
                assertThatThrownBy(() -> ExportCheck.verify(tampered, "test", images, trained))
                        .isInstanceOf(ModelException.class).hasMessageContaining("export check failed")
                        .hasMessageContaining("test split");
            }
            assertThat(ExportCheck.verify(model, "test", images, trained).maxAbsDifference()).isZero();
        }
    }

    /** The head's output bias, found by its bytes in model.onnx, raised by 3. */
    private static byte[] alterFloat(byte[] onnx, float[] bias) {
        ByteBuffer pattern = ByteBuffer.allocate(4 * bias.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : bias) {
            pattern.putFloat(v);
        }
        byte[] p = pattern.array();
        for (int i = 0; i + p.length <= onnx.length; i++) {
            if (java.util.Arrays.equals(onnx, i, i + p.length, p, 0, p.length)) {
                byte[] copy = onnx.clone();
                ByteBuffer.wrap(copy, i, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(bias[0] + 3f);
                return copy;
            }
        }
        throw new AssertionError("the head's bias is not in model.onnx");
    }

    private static Path save(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(tmp, "head", ".safetensors");
        Files.write(file, bytes);
        return file;
    }

    private static Transfer recipe(Path data) {
        return Transfer.from(data).weightsDir(SharedData.pretrained()).cacheDir(SharedData.featureCache())
                .progress(false).log(new PrintStream(new ByteArrayOutputStream()));
    }

    private static Run run(Path data, FineTuneConfig tuning) {
        Transfer transfer = recipe(data);
        if (tuning != null) {
            transfer.fineTune(tuning);
        }
        try (ImageClassifier model = transfer.train()) {
            return new Run(model.manifest(), model.file(ModelBundle.HEAD), model.file(ModelBundle.ONNX));
        }
    }

    private record Run(Manifest manifest, byte[] head, byte[] onnx) {

        void assertSameChoicesAndWeights(Run other) {
            RunRecord a = manifest.run();
            RunRecord b = other.manifest.run();
            assertThat(b.bestEpoch()).as("kept epoch").isEqualTo(a.bestEpoch());
            assertThat(b.lastEpoch()).as("early-stopping epoch").isEqualTo(a.lastEpoch());
            assertThat(b.history().size()).isEqualTo(a.history().size());
            for (int i = 0; i < a.history().size(); i++) {
                assertThat(b.history().get(i).trainLoss()).isEqualTo(a.history().get(i).trainLoss());
                assertThat(b.history().get(i).validationLoss()).isEqualTo(a.history().get(i).validationLoss());
            }
            assertThat(b.validation()).isEqualTo(a.validation());
            assertThat(other.head).as("head weights, bit for bit").isEqualTo(head);
            assertThat(other.onnx).as("model.onnx, bit for bit").isEqualTo(onnx);
            assertThat(manifest.unknown()).as("the unknown rule").isNotNull();
            assertThat(other.manifest.unknown().threshold()).as("the unknown threshold")
                    .isEqualTo(manifest.unknown().threshold());
            assertThat(other.manifest.unknown().centroids()).as("the unknown rule's centroids")
                    .isDeepEqualTo(manifest.unknown().centroids());
        }
    }

    /**
     * A small ants/bees folder (train/ and test/); poisoned, each test image goes to a class folder
     * drawn by a random permutation of the test labels.
     */
    private static Path dataset(Path target, boolean poison) throws IOException {
        if (Files.isDirectory(target)) {
            return target;
        }
        Path source = SharedData.dataset("hymenoptera");
        List<String> classes = List.of("ants", "bees");
        List<Path> testFiles = new ArrayList<>();
        List<String> testLabels = new ArrayList<>();
        for (String cls : classes) {
            link(list(source.resolve("train").resolve(cls), TRAIN_PER_CLASS), target.resolve("train").resolve(cls));
            for (Path f : list(source.resolve("val").resolve(cls), TEST_PER_CLASS)) {
                testFiles.add(f);
                testLabels.add(cls);
            }
        }
        if (poison) {
            Collections.shuffle(testLabels, new Random(3));
        }
        for (int i = 0; i < testFiles.size(); i++) {
            link(List.of(testFiles.get(i)), target.resolve("test").resolve(testLabels.get(i)));
        }
        return target;
    }

    private static List<Path> list(Path dir, int count) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().limit(count).toList();
        }
    }

    private static void link(List<Path> files, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path f : files) {
            Files.createSymbolicLink(to.resolve(f.getFileName()), f);
        }
    }
}
