package org.transfer4j.select;

import java.util.Optional;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.Tensor;

/**
 * A backbone's pretrained ImageNet classifier when it is one linear layer on the features (MobileNets,
 * ResNets, DenseNets, ...): its class probabilities then come from cached features, with no backbone pass.
 * Says how ImageNet-like images look to the source model: the mean over images of the largest softmax
 * probability (Hendrycks and Gimpel's baseline for out-of-distribution detection).
 */
public final class ImagenetHead {

    private final float[] weight;
    private final float[] bias;
    private final int classes;
    private final int width;

    private ImagenetHead(Tensor weight, Tensor bias) {
        this.weight = weight.data();
        this.classes = (int) weight.shape()[0];
        this.width = (int) weight.shape()[1];
        this.bias = bias == null ? new float[classes] : bias.data();
    }

    /** The head of a backbone, or empty when it has none (a headless weight set) or it is not one linear layer. */
    public static Optional<ImagenetHead> of(Backbone net) {
        Graph g = net.graph();
        if (!g.outputs().containsKey(Graph.Outputs.LOGITS)) {
            return Optional.empty();
        }
        String features = g.output(Graph.Outputs.FEATURES);
        String logits = g.output(Graph.Outputs.LOGITS);
        for (Node node : g.nodes()) {
            if (node.output().equals(logits)) {
                if (node.op() != Op.LINEAR || !node.inputs().equals(java.util.List.of(features))
                        || !net.weights().contains(node.param("weight"))) {
                    return Optional.empty();
                }
                String b = node.param("bias");
                return Optional.of(new ImagenetHead(net.weights().get(node.param("weight")),
                        net.weights().contains(b) ? net.weights().get(b) : null));
            }
        }
        return Optional.empty();
    }

    /** The mean over the rows of the largest class probability (softmax of the head's logits). */
    public double meanMaxSoftmax(float[][] features) {
        double sum = 0;
        double[] z = new double[classes];
        for (float[] f : features) {
            if (f.length != width) {
                throw new IllegalArgumentException("features of width " + f.length + ", the head reads " + width);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = bias[c];
                int row = c * width;
                for (int j = 0; j < width; j++) {
                    s += weight[row + j] * f[j];
                }
                z[c] = s;
                max = Math.max(max, s);
            }
            double total = 0;
            for (int c = 0; c < classes; c++) {
                total += Math.exp(z[c] - max);
            }
            sum += 1 / total;
        }
        return features.length == 0 ? Double.NaN : sum / features.length;
    }
}
