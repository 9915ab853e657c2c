package org.transfer4j.train;

import org.transfer4j.arch.Graph;
import org.transfer4j.arch.GraphBuilder;

/** A backbone graph small enough for unit tests: one convolution, pooled into {@code width} features. */
final class TinyBackbone {

    private TinyBackbone() {
    }

    /** A graph on 8×8 images whose features are {@code width} wide (only its head part runs on features). */
    static Graph withFeatures(int width) {
        GraphBuilder b = new GraphBuilder("tiny", 8);
        String x = b.relu(b.conv("conv1", b.input(), width, 3, 1, 1));
        return b.output(Graph.Outputs.FEATURES, b.flatten(b.globalAvgPool(x))).build();
    }
}
