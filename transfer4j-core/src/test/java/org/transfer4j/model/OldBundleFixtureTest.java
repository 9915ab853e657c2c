package org.transfer4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.GraphBuilder;
import org.transfer4j.data.SyntheticImages;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.train.EpochStats;
import org.transfer4j.train.HeadSpec;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * A bundle written by bundle format 2 is kept in {@code src/test/resources/bundles/format-2} with two
 * images and the probabilities it gave them when it was made: every later transfer4j must load it and
 * predict the same (migrating on read if the format changes). Regenerate it only when the format
 * version changes, and then keep the old one too:
 * {@code mvn test -Dtest=OldBundleFixtureTest -Dtransfer4j.writeBundleFixture=true}.
 */
class OldBundleFixtureTest {

    private static final Path FIXTURE = Path.of("src/test/resources/bundles/format-2");
    private static final int CROP = 32;

    @Test
    void theFormatTwoBundleLoadsAndPredictsWhatItPredictedWhenItWasMade() throws IOException {
        if (Boolean.getBoolean("transfer4j.writeBundleFixture")) {
            write();
        }
        Map<String, float[]> expected = ModelBundle.json().readValue(FIXTURE.resolve("expected.json").toFile(),
                new TypeReference<Map<String, float[]>>() { });
        assertThat(expected).hasSize(2);
        try (ImageClassifier model = ImageClassifier.load(FIXTURE.resolve("bundle"))) {
            assertThat(model.manifest().formatVersion()).isEqualTo(2);
            for (Map.Entry<String, float[]> e : expected.entrySet()) {
                Prediction p = model.predict(FIXTURE.resolve(e.getKey()));
                float[] want = e.getValue();
                for (Prediction.Scored s : p.top()) {
                    assertThat(s.probability()).as(e.getKey() + " " + s.label())
                            .isCloseTo(want[s.index()], within(1e-6));
                }
            }
        }
    }

    /** A newer minor version may add fields: a reader of the same format ignores what it does not know. */
    @Test
    void unknownManifestFieldsAreTolerated(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("bundle");
        Files.createDirectories(copy);
        try (java.util.stream.Stream<Path> files = Files.list(FIXTURE.resolve("bundle"))) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode json =
                (com.fasterxml.jackson.databind.node.ObjectNode) ModelBundle.json().readTree(copy.resolve("manifest.json").toFile());
        json.put("addedInAFutureVersion", "ignored");
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("run")).put("anotherNewFigure", 1.5);
        ModelBundle.json().writeValue(copy.resolve("manifest.json").toFile(), json);
        try (ImageClassifier model = ImageClassifier.load(copy)) {
            assertThat(model.manifest().run().bestEpoch()).isEqualTo(1);
        }
    }

    /** Makes the fixture with this version's writer: a tiny random CNN with a linear head. */
    private static void write() throws IOException {
        GraphBuilder b = new GraphBuilder("tiny", CROP);
        String x = b.relu(b.bn("bn", b.conv("conv", b.input(), 8, 3, 2, 1)));
        Graph backbone = b.output(Graph.Outputs.FEATURES, b.flatten(b.globalAvgPool(x))).build();
        TrainedHead head = TrainedHead.initial(HeadSpec.parse("4", 0f), 8, 2, 7);
        Graph classifier = head.onTopOf(backbone);
        Random r = new Random(11);
        Map<String, Tensor> all = new LinkedHashMap<>();
        backbone.parameters().forEach((name, shape) -> {
            Tensor t = Tensor.zeros(shape);
            for (int i = 0; i < t.data().length; i++) {
                t.data()[i] = name.endsWith("running_var") ? 1f : (float) (r.nextGaussian() * 0.5);
            }
            all.put(name, t);
        });
        all.putAll(head.weights());
        byte[] onnx = OnnxWriter.write(classifier, new Weights(all), List.of(TrainedHead.PROBABILITIES));
        java.io.ByteArrayOutputStream headBytes = new java.io.ByteArrayOutputStream();
        org.transfer4j.weights.SafetensorsWriter.write(head.weights(), headBytes);
        List<String> classes = List.of("circles", "squares");
        RunRecord run = new RunRecord(List.of(new EpochStats(1, 1, 0.7, 0.69, 0.5, 0.1)), 1, 1, 1,
                new RunRecord.SplitScore("validation", 2, 0.5, 0.5, 0.5, "trained model (DJL)"),
                new RunRecord.SplitScore("test", 2, 0.5, 0.5, 0.5, "model.onnx (ONNX Runtime)"), List.of(),
                new RunRecord.ExportParity("test", 2, 0, 1e-4), new RunRecord.Timings(0.1, 0.1, 0.1));
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, classes,
                new Manifest.BackboneInfo("tiny", "tiny:random", "tiny", "none", "0".repeat(64), 8),
                new Manifest.PreprocessingInfo(36, CROP, false, new float[] {0.5f, 0.5f, 0.5f},
                        new float[] {0.25f, 0.25f, 0.25f}),
                new Manifest.HeadInfo("4", 0f, 8, 2),
                new Manifest.TrainingInfo("frozen", 1, 2, 0.001f, "adam", 0f, 7, "constant", 0, false, 0f, null, null,
                        100_000_000L, "synthetic", "0".repeat(64),
                        new Manifest.SplitInfo("synthetic", 0.2, 0.1, List.of(), List.of(), List.of())),
                run, new Manifest.Provenance("fixture", "0.36.0", "2.7.1", "1.20.0", "17", "Linux", "2 cores",
                        "2026-12-03T00:00:00Z", "0".repeat(64), "0".repeat(64)));
        Files.createDirectories(FIXTURE);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(ModelBundle.ONNX, onnx);
        files.put(ModelBundle.HEAD, headBytes.toByteArray());
        ModelBundle.write(FIXTURE.resolve("bundle"), manifest, files);
        Map<String, float[]> expected = new LinkedHashMap<>();
        try (ImageClassifier model = ImageClassifier.load(FIXTURE.resolve("bundle"))) {
            Random images = new Random(5);
            for (int c = 0; c < 2; c++) {
                BufferedImage image = SyntheticImages.draw(c, 2, 48, images);
                String name = "image-" + c + ".png";
                ImageIO.write(image, "png", FIXTURE.resolve(name).toFile());
                float[] p = new float[2];
                for (Prediction.Scored s : model.predict(FIXTURE.resolve(name)).top()) {
                    p[s.index()] = (float) s.probability();
                }
                expected.put(name, p);
            }
        }
        ModelBundle.json().writeValue(FIXTURE.resolve("expected.json").toFile(), expected);
    }
}
