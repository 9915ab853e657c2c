package org.transfer4j.weights;

import org.transfer4j.arch.Graph;

/**
 * A pretrained network ready to run: its graph, its weights and where they came from.
 *
 * @param set the weight set (preprocessing, labels, provenance)
 * @param file the weights file that was loaded
 * @param sha256 SHA-256 of that file
 * @param graph the architecture
 * @param weights the parameters, checked against the graph
 */
public record Backbone(WeightSet set, java.nio.file.Path file, String sha256, Graph graph, Weights weights) {

    /** Width of the feature vector a new head is trained on. */
    public int featureWidth() {
        return graph.width(Graph.Outputs.FEATURES);
    }
}
