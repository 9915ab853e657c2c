package org.transfer4j.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * Re-estimates a network's batch-norm running statistics on the target images (AdaBN, Li et al. 2016),
 * as PyTorch does with every batch norm in train mode and {@code momentum=None}: each batch runs with
 * every layer normalising by the batch's own statistics, and each layer's running mean and (unbiased)
 * variance become the cumulative, equal-weight average over the batches of the mean and variance of its
 * input. Feed it batches of about equal size ({@link #batchSize}); {@link #result()} gives the weights
 * with the new statistics, everything else unchanged.
 */
public final class BatchNormAdaptation implements AutoCloseable {

    /** A running variance within this of 1 and a running mean of 0 everywhere: the identity left by folding. */
    private static final double IDENTITY_TOLERANCE = 1e-3;

    private final Graph graph;
    private final Weights weights;
    private final DjlExecutor executor;
    private final Map<String, double[]> meanSums = new LinkedHashMap<>();
    private final Map<String, double[]> varianceSums = new LinkedHashMap<>();
    private int batches;

    /**
     * @throws NotApplicableException when the weights have no batch-norm statistics to re-estimate
     *     ({@link #checkApplicable})
     */
    public BatchNormAdaptation(Graph graph, Weights weights) {
        checkApplicable(graph, weights, graph.name());
        this.graph = graph;
        this.weights = weights;
        this.executor = new DjlExecutor(graph, weights);
    }

    /**
     * Checks that a network has batch-norm layers below its features whose running statistics are real
     * ones: not none (TensorFlow Lite files, VGG-16, the {@code _folded} architectures) nor the identity
     * that folding the statistics into the convolutions leaves (every running mean 0, every variance 1).
     *
     * @param source what to name in the message, e.g. the weight set and its file
     * @throws NotApplicableException saying which of the two it is
     */
    public static void checkApplicable(Graph graph, Weights weights, String source) {
        List<Node> layers = layers(graph);
        if (layers.isEmpty()) {
            throw new NotApplicableException("--adapt-bn: " + source + " has no batch-norm layer (" + graph.name()
                    + (graph.name().endsWith("_tf") || graph.name().endsWith("_folded")
                    ? ": batch norm is folded into its convolutions" : "") + "), so there are no statistics to "
                    + "re-estimate; leave out --adapt-bn, or use a weight set with batch-norm statistics (torchvision's "
                    + ".pth files of resnet, densenet, mobilenet_v2, mobilenet_v3, efficientnet_b0, vgg16_bn; Keras "
                    + "mobilenet_v1_0.25_224)");
        }
        for (Node bn : layers) {
            float[] mean = weights.get(bn.param("running_mean")).data();
            float[] variance = weights.get(bn.param("running_var")).data();
            for (int c = 0; c < mean.length; c++) {
                if (mean[c] != 0f || Math.abs(variance[c] - 1) > IDENTITY_TOLERANCE) {
                    return;
                }
            }
        }
        throw new NotApplicableException("--adapt-bn: " + source + " has batch norm folded into its convolutions "
                + "(all " + layers.size() + " batch-norm layers have running mean 0 and variance 1): the statistics "
                + "and scales AdaBN needs are gone; leave out --adapt-bn, or use weights with their batch-norm "
                + "statistics (torchvision's official .pth files)");
    }

    /**
     * The batch size that splits {@code images} into as few batches of at most {@code maxBatch} as
     * possible, of about equal size, so that each batch's equal weight is about its images' share.
     */
    public static int batchSize(int images, int maxBatch) {
        int count = Math.max(1, (images + maxBatch - 1) / maxBatch);
        return (images + count - 1) / count;
    }

    /**
     * Runs one batch of preprocessed images (NCHW) with batch statistics and adds each layer's input
     * statistics to the averages.
     */
    public void observe(float[] batch, long[] shape) {
        try (NDManager batchManager = executor.manager().newSubManager()) {
            NDArray input = batchManager.create(batch, new Shape(shape));
            executor.forwardWithBatchStatistics(input, this::accumulate).close();
        }
        batches++;
    }

    private void accumulate(Node bn, NDArray x) {
        long channels = x.getShape().get(1);
        long count = x.getShape().size() / channels;
        try (NDArray swapped = x.swapAxes(0, 1); NDArray rows = swapped.reshape(channels, count);
             NDArray mean = rows.mean(new int[] {1}, true); NDArray centred = rows.sub(mean);
             NDArray squares = centred.square(); NDArray sum = squares.sum(new int[] {1})) {
            add(meanSums, bn, mean.toFloatArray(), 1);
            add(varianceSums, bn, sum.toFloatArray(), count > 1 ? 1.0 / (count - 1) : 0);
        }
    }

    private static void add(Map<String, double[]> sums, Node bn, float[] values, double scale) {
        double[] s = sums.computeIfAbsent(bn.name(), k -> new double[values.length]);
        for (int c = 0; c < values.length; c++) {
            s[c] += values[c] * scale;
        }
    }

    /** Batches observed so far. */
    public int batches() {
        return batches;
    }

    /**
     * The weights with each batch norm's running mean and variance replaced by the averages observed.
     *
     * @throws IllegalStateException before any batch
     */
    public Weights result() {
        if (batches == 0) {
            throw new IllegalStateException("no batch observed");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>(weights.asMap());
        for (Node bn : layers(graph)) {
            tensors.put(bn.param("running_mean"), average(meanSums.get(bn.name())));
            tensors.put(bn.param("running_var"), average(varianceSums.get(bn.name())));
        }
        return new Weights(tensors).withFileQuantizationOf(weights);
    }

    private Tensor average(double[] sum) {
        float[] values = new float[sum.length];
        for (int c = 0; c < sum.length; c++) {
            values[c] = (float) (sum[c] / batches);
        }
        return new Tensor(new long[] {values.length}, values);
    }

    /** The batch-norm layers the features depend on, in execution order. */
    static List<Node> layers(Graph graph) {
        List<Node> result = new ArrayList<>();
        for (Node n : graph.nodesFor(List.of(graph.output(Graph.Outputs.FEATURES)))) {
            if (n.op() == Op.BATCH_NORM) {
                result.add(n);
            }
        }
        return result;
    }

    @Override
    public void close() {
        executor.close();
    }

    /** Weights without batch-norm statistics to re-estimate: bad usage of {@code --adapt-bn}. */
    public static final class NotApplicableException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        NotApplicableException(String message) {
            super(message);
        }
    }
}
