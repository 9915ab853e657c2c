package org.transfer4j.train;

import java.util.List;
import java.util.Map;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.GraphBuilder;
import org.transfer4j.weights.Tensor;

/**
 * A trained classifier head: its spec, weights and training history.
 *
 * @param spec hidden layers and dropout
 * @param inputWidth width of the features it reads
 * @param numClasses number of outputs
 * @param weights {@code head.linearN.weight / .bias} tensors
 * @param history one entry per epoch
 * @param testPredictions the final head's class for each test example
 */
public record TrainedHead(HeadSpec spec, int inputWidth, int numClasses, Map<String, Tensor> weights,
                          List<EpochStats> history, int[] testPredictions) {

    /** Name of the classifier graph's probability output. */
    public static final String PROBABILITIES = "probabilities";

    /**
     * The backbone with this head on top, ending in softmax probabilities (dropout is the identity
     * at inference): the whole classifier as one graph.
     */
    public Graph onTopOf(Graph backbone) {
        GraphBuilder b = GraphBuilder.extend(backbone, backbone.name() + "_classifier");
        String features = backbone.output(Graph.Outputs.FEATURES);
        String x = features;
        int index = 0;
        for (int hidden : spec.hidden()) {
            x = b.relu(b.linear("head.linear" + index++, x, hidden, true));
        }
        String logits = b.linear("head.linear" + index, x, numClasses, true);
        return b.output(Graph.Outputs.FEATURES, features).output(Graph.Outputs.LOGITS, logits)
                .output(PROBABILITIES, b.softmax(logits)).build();
    }
}
