package org.transfer4j.realweights;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.weights.TfliteImport;
import org.transfer4j.weights.Weights;

/** A TFLite weight file imported onto its graph, written as ONNX and run on ONNX Runtime (2 threads). */
final class TfliteClassifier implements AutoCloseable {

    private final String role;
    private final Preprocessing preprocessing;
    private final OrtRunner runner;
    private final int width;

    /**
     * @param role which output to run: {@link Graph.Outputs#LOGITS} or {@link Graph.Outputs#FEATURES}
     */
    TfliteClassifier(Path file, Graph graph, String role) {
        Weights weights = TfliteImport.load(file, graph);
        this.role = role;
        this.preprocessing = Preprocessing.tensorflowCentralCrop(graph.inputSize());
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
