package org.transfer4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.GraphBuilder;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;
import org.transfer4j.weights.Tensor;

/**
 * A classifier head, defined once: {@link #onTopOf} puts it on a backbone graph as
 * Linear(-ReLU-Dropout)…-Linear with softmax probabilities, and that one graph is what trains (on DJL),
 * what is exported (ONNX) and what Grad-CAM differentiates ({@link #logitGradient} walks the same
 * layers in plain Java). {@link #initial} gives PyTorch's default initialisation of those layers.
 *
 * @param spec hidden layers and dropout
 * @param inputWidth width of the features it reads
 * @param numClasses number of outputs
 * @param weights {@code head.linearN.weight [out, in] / .bias [out]} tensors
 */
public record TrainedHead(HeadSpec spec, int inputWidth, int numClasses, Map<String, Tensor> weights) {

    /**
     * A fresh head as {@code torch.nn.Linear} initialises one: weights and biases uniform in
     * ±1/√fan_in (Kaiming-uniform with a = √5), drawn from the seed.
     */
    public static TrainedHead initial(HeadSpec spec, int inputWidth, int numClasses, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        int in = inputWidth;
        int layers = spec.hidden().size() + 1;
        for (int l = 0; l < layers; l++) {
            int out = l < spec.hidden().size() ? spec.hidden().get(l) : numClasses;
            double bound = 1 / Math.sqrt(in);
            weights.put(layer(l) + ".weight", new Tensor(new long[] {out, in}, uniform(random, out * in, bound)));
            weights.put(layer(l) + ".bias", new Tensor(new long[] {out}, uniform(random, out, bound)));
            in = out;
        }
        return new TrainedHead(spec, inputWidth, numClasses, weights);
    }

    /** This head's tensors taken from a whole classifier's weights (after training). */
    public TrainedHead withWeightsFrom(org.transfer4j.weights.Weights classifier) {
        Map<String, Tensor> trained = new LinkedHashMap<>();
        weights.keySet().forEach(n -> trained.put(n, classifier.get(n)));
        return new TrainedHead(spec, inputWidth, numClasses, trained);
    }

    private static float[] uniform(SplittableRandom random, int n, double bound) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return values;
    }

    /** Name of the classifier graph's probability output. */
    public static final String PROBABILITIES = "probabilities";

    /**
     * The backbone with this head on top, ending in softmax probabilities (dropout acts while training
     * and is the identity at inference): the whole classifier as one graph. When the features are a global average pool,
     * the pooled map is an output too ({@link Graph.Outputs#FEATURE_MAP}, for Grad-CAM).
     */
    public Graph onTopOf(Graph backbone) {
        GraphBuilder b = GraphBuilder.extend(backbone, backbone.name() + "_classifier");
        String features = backbone.output(Graph.Outputs.FEATURES);
        String x = features;
        int index = 0;
        for (int hidden : spec.hidden()) {
            x = b.relu(b.linear(layer(index++), x, hidden, true));
            if (spec.dropout() > 0) {
                x = b.dropout(x, spec.dropout());
            }
        }
        String logits = b.linear(layer(index), x, numClasses, true);
        backbone.pooledFeatureMap().ifPresent(map -> b.output(Graph.Outputs.FEATURE_MAP, map));
        return b.output(Graph.Outputs.FEATURES, features).output(Graph.Outputs.LOGITS, logits)
                .output(PROBABILITIES, b.softmax(logits)).build();
    }

    /**
     * The gradient of one class score with respect to the features, at a feature row: the head's nodes
     * of {@link #onTopOf} run forward in plain Java (dropout is the identity), then back, each linear
     * layer transposed and each ReLU passing where its input was positive.
     */
    public float[] logitGradient(float[] features, int target) {
        checkWidth(features);
        if (target < 0 || target >= numClasses) {
            throw new IllegalArgumentException("class " + target + " is not in 0.." + (numClasses - 1));
        }
        List<Node> nodes = headNodes();
        float[][] inputs = new float[nodes.size()][];
        forward(nodes, features, inputs);
        float[] grad = new float[numClasses];
        grad[target] = 1f;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.op() == Op.LINEAR) {
                grad = linearTransposed(n.name(), grad);
            } else if (n.op() == Op.RELU) {
                for (int j = 0; j < grad.length; j++) {
                    grad[j] = inputs[i][j] > 0 ? grad[j] : 0f;
                }
            }
        }
        return grad;
    }

    /**
     * The class probabilities of a feature row, in plain Java: the head's nodes of {@link #onTopOf}
     * forward (dropout is the identity), then a softmax; what {@code model.onnx} gives for a frozen
     * backbone's features.
     */
    public float[] probabilities(float[] features) {
        checkWidth(features);
        List<Node> nodes = headNodes();
        return softmax(forward(nodes, features, new float[nodes.size()][]));
    }

    /** Class probabilities from logits, computed stably (max subtracted, double sums). */
    public static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** Runs the head's nodes on a feature row; {@code inputs[i]} receives node i's input. */
    private float[] forward(List<Node> nodes, float[] features, float[][] inputs) {
        float[] v = features;
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            inputs[i] = v;
            v = switch (n.op()) {
                case LINEAR -> linear(n.name(), v);
                case RELU -> relu(v);
                case DROPOUT -> v;
                default -> throw new IllegalStateException("the head cannot run a " + n.op() + " node in Java");
            };
        }
        return v;
    }

    /** The nodes between the features and the logits of {@link #onTopOf}, in order. */
    private List<Node> headNodes() {
        GraphBuilder stub = new GraphBuilder("features", 1);
        String features = stub.flatten(stub.globalAvgPool(stub.conv("stub", stub.input(), inputWidth, 1, 1, 0)));
        Graph graph = onTopOf(stub.output(Graph.Outputs.FEATURES, features).build());
        List<Node> all = graph.nodesFor(List.of(graph.output(Graph.Outputs.LOGITS)));
        int first = 0;
        while (!all.get(first).inputs().contains(features)) {
            first++;
        }
        return all.subList(first, all.size());
    }

    private static String layer(int index) {
        return "head.linear" + index;
    }

    private Tensor tensor(String name) {
        Tensor t = weights.get(name);
        if (t == null) {
            throw new IllegalArgumentException("the head has no " + name + "; it has " + weights.keySet());
        }
        return t;
    }

    private float[] linear(String layer, float[] x) {
        Tensor w = tensor(layer + ".weight");
        float[] bias = tensor(layer + ".bias").data();
        float[] data = w.data();
        int out = (int) w.shape()[0];
        int in = (int) w.shape()[1];
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            y[o] = bias[o] + dot(data, o * in, x, in);
        }
        return y;
    }

    private float[] linearTransposed(String layer, float[] g) {
        Tensor w = tensor(layer + ".weight");
        float[] data = w.data();
        int out = (int) w.shape()[0];
        int in = (int) w.shape()[1];
        float[] x = new float[in];
        for (int o = 0; o < out; o++) {
            float go = g[o];
            if (go != 0f) {
                for (int i = 0; i < in; i++) {
                    x[i] += go * data[o * in + i];
                }
            }
        }
        return x;
    }

    /** Four partial sums, so the JIT can overlap the multiply-adds. */
    private static float dot(float[] w, int offset, float[] x, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += w[offset + i] * x[i];
            s1 += w[offset + i + 1] * x[i + 1];
            s2 += w[offset + i + 2] * x[i + 2];
            s3 += w[offset + i + 3] * x[i + 3];
        }
        for (; i < n; i++) {
            s0 += w[offset + i] * x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static float[] relu(float[] v) {
        float[] r = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            r[j] = Math.max(0f, v[j]);
        }
        return r;
    }

    private void checkWidth(float[] features) {
        if (features.length != inputWidth) {
            throw new IllegalArgumentException("the head takes " + inputWidth + " features, got " + features.length);
        }
    }
}
