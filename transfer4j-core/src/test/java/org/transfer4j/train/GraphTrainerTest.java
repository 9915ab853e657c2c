package org.transfer4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Graph.Outputs;
import org.transfer4j.arch.GraphBuilder;
import org.transfer4j.exec.DjlExecutor;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * Fine-tuning on a tiny ResNet-like graph: forwarding from the cut equals the full forward; only the
 * unfrozen blocks and the head change; a run interrupted after a checkpoint and resumed ends
 * bit-identical to an uninterrupted one.
 */
class GraphTrainerTest {

    private static final int SIZE = 8;
    private static final int N = 48;
    private static final int CLASSES = 2;

    private static Graph backbone() {
        GraphBuilder b = new GraphBuilder("tinyres", SIZE);
        String x = b.relu(b.bn("bn1", b.conv("conv1", b.input(), 8, 3, 1, 1)));
        String y = b.bn("layer1.0.bn1", b.conv("layer1.0.conv1", x, 8, 3, 1, 1));
        x = b.relu(b.add(x, y));
        x = b.relu(b.bn("layer2.0.bn1", b.conv("layer2.0.conv1", x, 8, 3, 1, 1)));
        x = b.relu(b.bn("layer3.0.bn1", b.conv("layer3.0.conv1", x, 8, 3, 1, 1)));
        String features = b.flatten(b.globalAvgPool(x));
        return b.output(Outputs.FEATURES, features).build();
    }

    private static TrainedHead head(Random r) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("head.linear0.weight", random(r, 0.3, CLASSES, 8));
        w.put("head.linear0.bias", random(r, 0.0, CLASSES));
        return new TrainedHead(new HeadSpec(List.of(), 0f), 8, CLASSES, w);
    }

    private static Tensor random(Random r, double scale, long... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (float) (r.nextGaussian() * scale);
        }
        return t;
    }

    private static Weights weights(Graph g, Random r) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        g.parameters().forEach((name, shape) -> {
            Tensor t = name.endsWith("running_var") || (name.endsWith(".weight") && shape.length == 1)
                    ? ones(shape) : name.endsWith("running_mean") || name.endsWith(".bias") ? Tensor.zeros(shape)
                    : random(r, 0.3, shape);
            m.put(name, t);
        });
        return new Weights(m);
    }

    private static Tensor ones(long[] shape) {
        Tensor t = Tensor.zeros(shape);
        java.util.Arrays.fill(t.data(), 1f);
        return t;
    }

    /** Images whose class is whether the red channel is brighter than the blue one. */
    private static float[] images(int[] labels, Random r) {
        int px = SIZE * SIZE;
        float[] x = new float[labels.length * 3 * px];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % CLASSES;
            for (int k = 0; k < 3 * px; k++) {
                int channel = k / px;
                float shift = channel == 0 ? (labels[i] == 1 ? 0.5f : -0.5f) : channel == 2 ? (labels[i] == 1 ? -0.5f : 0.5f) : 0f;
                x[i * 3 * px + k] = (float) r.nextGaussian() + shift;
            }
        }
        return x;
    }

    private record Setup(Graph classifier, Weights initial, BlockBoundaries.Cut cut, GraphTrainer.CutData train,
                         GraphTrainer.CutData test, float[] pixels) {
    }

    private static Setup setup() {
        Random r = new Random(7);
        Graph g = backbone();
        Weights w = weights(g, r);
        TrainedHead head = head(r);
        Graph classifier = head.onTopOf(g);
        Map<String, Tensor> all = new LinkedHashMap<>(w.asMap());
        all.putAll(head.weights());
        BlockBoundaries.Cut cut = BlockBoundaries.cut(g, 2);
        int[] labels = new int[N];
        float[] pixels = images(labels, r);
        Graph lower = GraphBuilder.extend(g, "lower").output(Outputs.FEATURES, cut.value()).build();
        float[][] rows;
        try (DjlExecutor ex = new DjlExecutor(lower, w)) {
            rows = ex.run(pixels, new long[] {N, 3, SIZE, SIZE}, List.of(Outputs.FEATURES)).get(Outputs.FEATURES);
        }
        int half = N / 2;
        return new Setup(classifier, new Weights(all), cut,
                new GraphTrainer.CutData(java.util.Arrays.copyOfRange(rows, 0, half), java.util.Arrays.copyOfRange(labels, 0, half)),
                new GraphTrainer.CutData(java.util.Arrays.copyOfRange(rows, half, N), java.util.Arrays.copyOfRange(labels, half, N)),
                pixels);
    }

    private static TrainConfig config() {
        return TrainConfig.frozen().withBatchSize(8).withSchedule(new Schedule("cosine", 0.1)).withLabelSmoothing(0.05f);
    }

    @Test
    void forwardFromTheCutEqualsTheFullForward() {
        Setup s = setup();
        try (DjlExecutor ex = new DjlExecutor(s.classifier(), s.initial());
             NDManager m = ex.manager().newSubManager()) {
            NDArray full = ex.forward(m.create(s.pixels(), new Shape(N, 3, SIZE, SIZE)), false).get(Outputs.LOGITS);
            float[] flat = new float[N / 2 * s.cut().width()];
            for (int i = 0; i < N / 2; i++) {
                System.arraycopy(s.train().rows()[i], 0, flat, i * s.cut().width(), s.cut().width());
            }
            long[] shape = {N / 2, 8, SIZE, SIZE};
            NDArray fromCut = ex.forwardFrom(s.cut().value(), m.create(flat, new Shape(shape)), false).get(Outputs.LOGITS);
            float[] expected = java.util.Arrays.copyOfRange(full.toFloatArray(), 0, N / 2 * CLASSES);
            float[] actual = fromCut.toFloatArray();
            for (int i = 0; i < actual.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i], within(1e-5f));
            }
        }
    }

    @Test
    void onlyTheUnfrozenBlocksAndTheHeadChange() {
        Setup s = setup();
        FineTuneConfig tuning = new FineTuneConfig(2, 3, 1e-2f, 0.5f, false, 0);
        GraphTrainer.Result r = new GraphTrainer(config(), GraphTrainer.Stage.fineTune(tuning, true)).fit(s.classifier(), s.initial(), s.cut(), s.train(),
                s.test(), null, "test", e -> { });
        assertThat(r.history()).hasSize(3);
        for (String name : s.classifier().parameters().keySet()) {
            boolean same = java.util.Arrays.equals(r.weights().get(name).data(), s.initial().get(name).data());
            boolean mayChange = name.startsWith("layer2.") || name.startsWith("layer3.") || name.startsWith("head.");
            if (!mayChange) {
                assertThat(same).as(name + " is frozen").isTrue();
            } else if (!name.contains("running")) {
                assertThat(same).as(name + " trains").isFalse();
            }
        }
        assertThat(r.history().get(2).trainLoss()).isLessThan(r.history().get(0).trainLoss());
    }

    @Test
    void freezeBnKeepsBatchNormFixed() {
        Setup s = setup();
        GraphTrainer tuner = new GraphTrainer(config(), GraphTrainer.Stage.fineTune(new FineTuneConfig(2, 1, 1e-2f, 1f, true, 0), true));
        List<String> names = tuner.trainableNames(s.classifier(), s.cut());
        assertThat(names).contains("layer2.0.conv1.weight", "head.linear0.weight").noneMatch(n -> n.contains("bn1"));
        GraphTrainer.Result r = tuner.fit(s.classifier(), s.initial(), s.cut(), s.train(), s.test(), null, "t", e -> { });
        assertThat(r.weights().get("layer3.0.bn1.running_mean").data())
                .containsExactly(s.initial().get("layer3.0.bn1.running_mean").data());
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) {
        Setup s = setup();
        FineTuneConfig tuning = new FineTuneConfig(2, 4, 1e-2f, 0.5f, false, 0);
        GraphTrainer.Result whole = new GraphTrainer(config(), GraphTrainer.Stage.fineTune(tuning, true)).fit(s.classifier(), s.initial(), s.cut(), s.train(),
                s.test(), new Checkpoint(dir.resolve("a")), "f", e -> { });

        Checkpoint checkpoint = new Checkpoint(dir.resolve("b"));
        List<EpochStats> seen = new ArrayList<>();
        try {
            new GraphTrainer(config(), GraphTrainer.Stage.fineTune(tuning, true)).fit(s.classifier(), s.initial(), s.cut(), s.train(), s.test(),
                    checkpoint, "f", e -> {
                        seen.add(e);
                        if (e.epoch() == 2) {
                            throw new IllegalStateException("killed");
                        }
                    });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("killed");
        }
        assertThat(checkpoint.latest()).get().extracting(Checkpoint.Info::epoch).isEqualTo(2);
        GraphTrainer.Result resumed = new GraphTrainer(config(), GraphTrainer.Stage.fineTune(tuning, true)).fit(s.classifier(), s.initial(), s.cut(), s.train(),
                s.test(), checkpoint, "f", e -> { });

        assertThat(resumed.history()).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(resumed.history().get(i).trainLoss()).isEqualTo(whole.history().get(i).trainLoss());
            assertThat(resumed.history().get(i).validationLoss()).isEqualTo(whole.history().get(i).validationLoss());
        }
        assertThat(resumed.bestEpoch()).isEqualTo(whole.bestEpoch());
        for (String name : s.classifier().parameters().keySet()) {
            assertThat(resumed.weights().get(name).data()).as(name).containsExactly(whole.weights().get(name).data());
        }
    }
}
