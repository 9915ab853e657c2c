package org.transfer4j.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transfer4j.Transfer;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Graph.Outputs;
import org.transfer4j.arch.GraphBuilder;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.WeightRegistry;
import org.transfer4j.weights.Weights;

/**
 * AdaBN on a tiny graph (conv 3×3 → bn1 → relu → conv 1×1 → bn2 → relu → pool): each batch norm's new
 * running statistics are the equal-weight average over batches of its input's mean and unbiased variance,
 * with the layers below normalising by the batch's own statistics; computed here again in plain Java.
 */
class BatchNormAdaptationTest {

    private static final int SIZE = 6;
    private static final int C1 = 4;
    private static final int C2 = 3;
    private static final float EPS = 1e-5f;

    private static Graph tiny() {
        GraphBuilder b = new GraphBuilder("tiny_bn", SIZE);
        String x = b.relu(b.bn("bn1", b.conv("conv1", b.input(), C1, 3, 1, 1)));
        x = b.relu(b.bn("bn2", b.conv("conv2", x, C2, 1, 1, 0)));
        return b.output(Outputs.FEATURES, b.flatten(b.globalAvgPool(x))).build();
    }

    private static float[] images(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 3 * SIZE * SIZE];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 + r.nextGaussian());
        }
        return x;
    }

    @Test
    void runningStatisticsAreTheBatchAveragedStatisticsOfEachLayersInput() {
        Graph g = tiny();
        Weights w = DjlExecutorParityTest.scaledRandom(g, 7);
        int n = 5;
        float[] first = images(n, 1);
        float[] second = images(n, 2);
        Weights adapted;
        try (BatchNormAdaptation adaptation = new BatchNormAdaptation(g, w)) {
            adaptation.observe(first, new long[] {n, 3, SIZE, SIZE});
            adaptation.observe(second, new long[] {n, 3, SIZE, SIZE});
            assertThat(adaptation.batches()).isEqualTo(2);
            adapted = adaptation.result();
        }
        double[][][] a = PlainForward.statistics(w, first, n);
        double[][][] b = PlainForward.statistics(w, second, n);
        String[] layers = {"bn1", "bn2"};
        for (int l = 0; l < 2; l++) {
            float[] mean = adapted.get(layers[l] + ".running_mean").data();
            float[] variance = adapted.get(layers[l] + ".running_var").data();
            for (int c = 0; c < mean.length; c++) {
                assertThat((double) mean[c]).as(layers[l] + " mean " + c)
                        .isCloseTo((a[l][0][c] + b[l][0][c]) / 2, within(1e-4));
                assertThat((double) variance[c]).as(layers[l] + " variance " + c)
                        .isCloseTo((a[l][1][c] + b[l][1][c]) / 2, within(1e-4 * Math.max(1, variance[c])));
            }
        }
        for (String name : w.asMap().keySet()) {
            if (!name.endsWith("running_mean") && !name.endsWith("running_var")) {
                assertThat(adapted.get(name).data()).as(name + " unchanged").isEqualTo(w.get(name).data());
            }
        }
        assertThat(adapted.asMap().keySet()).as("the state dict's order").containsExactlyElementsOf(w.asMap().keySet());
    }

    @Test
    void graphWithoutBatchNormIsRefusedNamingTheWeights() {
        GraphBuilder b = new GraphBuilder("tiny_folded", SIZE);
        String x = b.relu(b.conv("conv1", b.input(), C1, 3, 1, 1, 1, true));
        Graph g = b.output(Outputs.FEATURES, b.flatten(b.globalAvgPool(x))).build();
        Weights w = DjlExecutorParityTest.scaledRandom(g, 1);
        assertThatThrownBy(() -> BatchNormAdaptation.checkApplicable(g, w, "mobilenet_v2:tflite-quant (x.tflite)"))
                .isInstanceOf(BatchNormAdaptation.NotApplicableException.class)
                .hasMessageStartingWith("--adapt-bn: mobilenet_v2:tflite-quant (x.tflite) has no batch-norm layer");
    }

    @Test
    void identityStatisticsLeftByFoldingAreRefused() {
        Graph g = tiny();
        Map<String, Tensor> tensors = new LinkedHashMap<>(DjlExecutorParityTest.scaledRandom(g, 1).asMap());
        for (String layer : new String[] {"bn1", "bn2"}) {
            int c = (int) tensors.get(layer + ".running_mean").shape()[0];
            tensors.put(layer + ".running_mean", Tensor.zeros(new long[] {c}));
            float[] variance = new float[c];
            java.util.Arrays.fill(variance, 1 - 1e-5f);
            tensors.put(layer + ".running_var", new Tensor(new long[] {c}, variance));
        }
        assertThatThrownBy(() -> new BatchNormAdaptation(g, new Weights(tensors)))
                .isInstanceOf(BatchNormAdaptation.NotApplicableException.class)
                .hasMessageContaining("tiny_bn has batch norm folded into its convolutions (all 2 batch-norm layers");
    }

    @Test
    void batchesOfNearlyEqualSize() {
        assertThat(BatchNormAdaptation.batchSize(1024, 32)).isEqualTo(32);
        assertThat(BatchNormAdaptation.batchSize(33, 32)).isEqualTo(17);
        assertThat(BatchNormAdaptation.batchSize(244, 32)).isEqualTo(31);
        assertThat(BatchNormAdaptation.batchSize(5, 32)).isEqualTo(5);
    }

    @Test
    void adaptedWeightsHaveTheirOwnFeatureCacheKey() {
        Graph g = tiny();
        Weights w = DjlExecutorParityTest.scaledRandom(g, 7);
        Backbone plain = new Backbone(WeightRegistry.setsOf("resnet18").get(0), Path.of("w.pth"), "ab12", g, w);
        Backbone adapted = plain.withAdaptedBatchNorm(w, new Backbone.Adaptation(10, 5, 42, "c0ffee"));
        Backbone other = plain.withAdaptedBatchNorm(w, new Backbone.Adaptation(10, 5, 43, "beef00"));
        assertThat(Transfer.cacheKey(adapted)).isNotEqualTo(Transfer.cacheKey(plain))
                .isNotEqualTo(Transfer.cacheKey(other)).startsWith("resnet18-");
        assertThat(Transfer.cacheKey(plain.withAdaptedBatchNorm(w, new Backbone.Adaptation(10, 5, 42, "c0ffee"))))
                .as("the same statistics, the same key").isEqualTo(Transfer.cacheKey(adapted));
    }

    /** The tiny graph in plain Java, batch norms normalising by the batch's statistics (biased variance). */
    private static final class PlainForward {

        /** [layer][0 mean, 1 unbiased variance][channel] of each batch norm's input on one batch. */
        static double[][][] statistics(Weights w, float[] x, int n) {
            double[][][] stats = new double[2][][];
            double[][][][] h = conv(w, "conv1", toArray(x, n, 3), 1);
            stats[0] = moments(h);
            h = reluOf(normalise(w, "bn1", h, stats[0]));
            h = conv(w, "conv2", h, 0);
            stats[1] = moments(h);
            return stats;
        }

        private static double[][][][] toArray(float[] x, int n, int c) {
            double[][][][] a = new double[n][c][SIZE][SIZE];
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < SIZE; y++) {
                        for (int xx = 0; xx < SIZE; xx++) {
                            a[i][ch][y][xx] = x[k++];
                        }
                    }
                }
            }
            return a;
        }

        private static double[][][][] conv(Weights w, String name, double[][][][] in, int pad) {
            Tensor t = w.get(name + ".weight");
            int out = (int) t.shape()[0];
            int cin = (int) t.shape()[1];
            int k = (int) t.shape()[2];
            float[] kernel = t.data();
            int n = in.length;
            double[][][][] o = new double[n][out][SIZE][SIZE];
            for (int i = 0; i < n; i++) {
                for (int co = 0; co < out; co++) {
                    for (int y = 0; y < SIZE; y++) {
                        for (int x = 0; x < SIZE; x++) {
                            double s = 0;
                            for (int ci = 0; ci < cin; ci++) {
                                for (int dy = 0; dy < k; dy++) {
                                    for (int dx = 0; dx < k; dx++) {
                                        int yy = y + dy - pad;
                                        int xx = x + dx - pad;
                                        if (yy >= 0 && yy < SIZE && xx >= 0 && xx < SIZE) {
                                            s += kernel[((co * cin + ci) * k + dy) * k + dx] * in[i][ci][yy][xx];
                                        }
                                    }
                                }
                            }
                            o[i][co][y][x] = s;
                        }
                    }
                }
            }
            return o;
        }

        private static double[][] moments(double[][][][] h) {
            int c = h[0].length;
            double[] mean = new double[c];
            double[] variance = new double[c];
            long count = (long) h.length * SIZE * SIZE;
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                for (double[][][] image : h) {
                    for (double[] row : image[ch]) {
                        for (double v : row) {
                            s += v;
                        }
                    }
                }
                mean[ch] = s / count;
                double q = 0;
                for (double[][][] image : h) {
                    for (double[] row : image[ch]) {
                        for (double v : row) {
                            q += (v - mean[ch]) * (v - mean[ch]);
                        }
                    }
                }
                variance[ch] = q / (count - 1);
            }
            return new double[][] {mean, variance};
        }

        private static double[][][][] normalise(Weights w, String name, double[][][][] h, double[][] stats) {
            float[] gamma = w.get(name + ".weight").data();
            float[] beta = w.get(name + ".bias").data();
            long count = (long) h.length * SIZE * SIZE;
            for (double[][][] image : h) {
                for (int ch = 0; ch < gamma.length; ch++) {
                    double biased = stats[1][ch] * (count - 1) / count;
                    double scale = gamma[ch] / Math.sqrt(biased + EPS);
                    for (double[] row : image[ch]) {
                        for (int x = 0; x < SIZE; x++) {
                            row[x] = (row[x] - stats[0][ch]) * scale + beta[ch];
                        }
                    }
                }
            }
            return h;
        }

        private static double[][][][] reluOf(double[][][][] h) {
            for (double[][][] image : h) {
                for (double[][] channel : image) {
                    for (double[] row : channel) {
                        for (int x = 0; x < SIZE; x++) {
                            row[x] = Math.max(0, row[x]);
                        }
                    }
                }
            }
            return h;
        }
    }
}
