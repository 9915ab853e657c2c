package org.transfer4j.realweights;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.TfliteImport;
import org.transfer4j.weights.Weights;

/** A backbone (a TFLite file imported onto its graph, or any loaded backbone) run on ONNX Runtime (2 threads). */
final class OnnxClassifier implements AutoCloseable {

    private final String role;
    private final Preprocessing preprocessing;
    private final OrtRunner runner;
    private final int width;

    /**
     * @param role which output to run: {@link Graph.Outputs#LOGITS} or {@link Graph.Outputs#FEATURES}
     */
    OnnxClassifier(Path file, Graph graph, String role) {
        this(graph, TfliteImport.load(file, graph), Preprocessing.tensorflowCentralCrop(graph.inputSize()), role);
    }

    /** A loaded backbone, with the preprocessing its weights expect. */
    OnnxClassifier(Backbone backbone, String role) {
        this(backbone.graph(), backbone.weights(), backbone.set().preprocessing(), role);
    }

    private OnnxClassifier(Graph graph, Weights weights, Preprocessing preprocessing, String role) {
        this.role = role;
        this.preprocessing = preprocessing;
        this.runner = new OrtRunner(OnnxWriter.write(graph, weights, List.of(role)), 2);
        this.width = graph.width(role);
    }

    /** Output width: classes for logits, feature size for features. */
    int width() {
        return width;
    }

    /** One output row per image. */
    float[][] run(List<BufferedImage> images) {
        int n = images.size();
        int per = preprocessing.floatsPerImage();
        float[] batch = new float[n * per];
        for (int i = 0; i < n; i++) {
            preprocessing.apply(images.get(i), batch, i * per);
        }
        int size = preprocessing.crop();
        return runner.run(batch, new long[] {n, 3, size, size}).get(role);
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        runner.close();
    }
}
