package org.transfer4j.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.GraphBuilder;
import org.transfer4j.data.SyntheticImages;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.model.Manifest;
import org.transfer4j.train.EpochStats;
import org.transfer4j.train.HeadSpec;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * A small made-up run for report tests, no training: three classes of synthetic images, a manifest
 * with a history and a split, scores with some mistakes, and a tiny random CNN for Grad-CAM.
 */
final class SyntheticRun {

    static final int CLASSES = 3;
    static final int CROP = 32;

    final Manifest manifest;
    final List<ScoredImage> scored = new ArrayList<>();

    /** Writes 8 test images per class under {@code dir}; every third image of class 1 is taken for class 2. */
    SyntheticRun(Path dir) {
        List<Path> files = SyntheticImages.write(dir.resolve("test"), CLASSES, 8, 64, 7);
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            classes.add(SyntheticImages.className(c));
        }
        List<String> testPaths = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            int truth = i / 8;
            int predicted = truth == 1 && i % 3 == 0 ? 2 : truth;
            float[] p = {0.1f, 0.1f, 0.1f};
            p[predicted] = 0.8f;
            scored.add(new ScoredImage(files.get(i), truth, p));
            testPaths.add("test/" + classes.get(truth) + "/" + files.get(i).getFileName());
        }
        List<String> trainPaths = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            for (int i = 0; i < 20 + 5 * c; i++) {
                trainPaths.add("train/" + classes.get(c) + "/img_" + i + ".jpg");
            }
        }
        List<EpochStats> history = new ArrayList<>();
        for (int e = 1; e <= 4; e++) {
            history.add(new EpochStats(e, 4, 1.0 / e, 1.2 / e, 0.5 + 0.1 * e, 0.5));
        }
        org.transfer4j.model.RunRecord run = new org.transfer4j.model.RunRecord(history, 4, 4, 4, null, null, List.of(),
                null, new org.transfer4j.model.RunRecord.Timings(1.5, 2.0, 0.1));
        manifest = new Manifest(Manifest.FORMAT_VERSION, classes,
                new Manifest.BackboneInfo("tiny", "tiny:random", "tiny", "tiny.pth", "0".repeat(64), 8),
                new Manifest.PreprocessingInfo(36, CROP, false, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}),
                new Manifest.HeadInfo("linear", 0f, 8, CLASSES),
                new Manifest.TrainingInfo("frozen", 4, 16, 0.001f, "adam", 0f, 42, "constant", 0, false, 0f, null, null,
                        100_000_000L, dir.toString(), "0".repeat(64),
                        new Manifest.SplitInfo("folders train/ and test/", 0.2, 0.1, trainPaths, List.of(), testPaths)),
                run, new Manifest.Provenance("0.1.0", "0.36.0", "2.7.1", "1.20.0", "17", "Linux", "2 cores",
                        "2026-01-01T00:00:00Z", "0".repeat(64), "0".repeat(64)));
    }

    /** A tiny random CNN whose features are a global average pool over one conv map. */
    static GradCam tinyGradCam() {
        GraphBuilder b = new GraphBuilder("tiny", CROP);
        String x = b.relu(b.bn("bn", b.conv("conv", b.input(), 8, 3, 1, 1)));
        String features = b.flatten(b.globalAvgPool(x));
        String logits = b.linear("fc", features, CLASSES, true);
        Graph g = b.output(Graph.Outputs.FEATURES, features).output(Graph.Outputs.LOGITS, logits).build();
        Random r = new Random(3);
        Map<String, Tensor> w = new LinkedHashMap<>();
        g.parameters().forEach((name, shape) -> {
            Tensor t = Tensor.zeros(shape);
            for (int i = 0; i < t.data().length; i++) {
                t.data()[i] = name.endsWith("running_var") ? 1f : (float) (r.nextGaussian() * 0.5);
            }
            w.put(name, t);
        });
        return gradCamOver(g, new Weights(w), "fc");
    }

    /**
     * Grad-CAM for a backbone whose classifier is one linear layer (torchvision's {@code fc} or
     * {@code classifier.1}), taken as the head: the model exported with its feature map on ONNX.
     */
    static GradCam gradCamOver(Graph graph, Weights weights, String linear) {
        Graph mapped = GraphBuilder.extend(graph, graph.name())
                .output(Graph.Outputs.FEATURES, graph.output(Graph.Outputs.FEATURES))
                .output(Graph.Outputs.FEATURE_MAP, graph.pooledFeatureMap().orElseThrow()).build();
        byte[] onnx = OnnxWriter.write(mapped, weights, List.of(Graph.Outputs.FEATURE_MAP));
        Tensor w = weights.get(linear + ".weight");
        TrainedHead head = new TrainedHead(new HeadSpec(List.of(), 0f), (int) w.shape()[1], (int) w.shape()[0],
                Map.of("head.linear0.weight", w, "head.linear0.bias", weights.get(linear + ".bias")));
        return new GradCam(onnx, head);
    }
}
