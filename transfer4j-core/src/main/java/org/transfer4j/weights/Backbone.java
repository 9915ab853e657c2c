package org.transfer4j.weights;

import java.nio.file.Path;
import java.util.Objects;
import org.transfer4j.arch.Graph;

/**
 * A pretrained network ready to run: its graph, its weights and where they came from.
 *
 * @param set the weight set (preprocessing, labels, provenance)
 * @param file the weights file that was loaded
 * @param sha256 SHA-256 of that file
 * @param graph the architecture
 * @param weights the parameters, checked against the graph
 * @param adaptation how the batch-norm statistics in {@code weights} were re-estimated on target images
 *     (AdaBN); null when they are the file's
 */
public record Backbone(WeightSet set, Path file, String sha256, Graph graph, Weights weights,
                       Adaptation adaptation) {

    /** A backbone with the file's weights as they are. */
    public Backbone(WeightSet set, Path file, String sha256, Graph graph, Weights weights) {
        this(set, file, sha256, graph, weights, null);
    }

    /**
     * Batch-norm statistics re-estimated on target images.
     *
     * @param images how many images they were measured on
     * @param batchSize images per batch (each batch normalised by its own statistics)
     * @param seed the seed that drew the images
     * @param statistics hex SHA-256 of the new statistics: it tells features of these weights from others'
     */
    public record Adaptation(int images, int batchSize, long seed, String statistics) {

        public Adaptation {
            Objects.requireNonNull(statistics, "statistics");
        }
    }

    /** The same backbone with re-estimated batch-norm statistics. */
    public Backbone withAdaptedBatchNorm(Weights adapted, Adaptation how) {
        adapted.checkAgainst(graph, "adapted weights of " + file);
        return new Backbone(set, file, sha256, graph, adapted, Objects.requireNonNull(how, "how"));
    }

    /** Width of the feature vector a new head is trained on. */
    public int featureWidth() {
        return graph.width(Graph.Outputs.FEATURES);
    }
}
