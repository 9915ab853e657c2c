package org.transfer4j.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transfer4j.arch.Graph;
import org.transfer4j.train.OptimizerState;
import org.transfer4j.arch.Graph.Outputs;
import org.transfer4j.arch.GraphBuilder;
import org.transfer4j.weights.Weights;

/** Fine-tuning the top of a graph: gradients reach only the trainable part, and Adam lowers the loss. */
class DjlExecutorTrainingTest {

    private static final int BATCH = 16;
    private static final int SIZE = 8;
    private static final int CLASSES = 3;

    private static Graph tiny() {
        GraphBuilder b = new GraphBuilder("tiny", SIZE);
        String x = b.relu(b.bn("bn", b.conv("conv", b.input(), 8, 3, 1, 1)));
        String features = b.flatten(b.globalAvgPool(x));
        String logits = b.linear("fc", features, CLASSES, true);
        return b.output(Outputs.FEATURES, features).output(Outputs.LOGITS, logits).build();
    }

    @Test
    void adamLowersTheLossAndLeavesFrozenLayersAlone() {
        Graph g = tiny();
        Weights initial = DjlExecutorParityTest.scaledRandom(g, 3);
        try (DjlExecutor executor = new DjlExecutor(g, initial)) {
            assertThat(executor.attachGradient("bn", "fc"))
                    .containsExactly("bn.weight", "bn.bias", "fc.weight", "fc.bias");
            assertThat(executor.isFrozen("conv.weight")).isTrue();
            assertThat(executor.isFrozen("bn.running_mean")).isTrue();
            assertThat(executor.trainableParameters()).containsOnlyKeys("bn.weight", "bn.bias", "fc.weight",
                    "fc.bias");

            OptimizerState adam = new OptimizerState("adam", 0f);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            float[] labels = randomLabels(12);
            float[] images = labelledImages(labels);
            List<Float> losses = new ArrayList<>();
            int arraysAfterFirstStep = 0;
            for (int step = 0; step < 30; step++) {
                try (NDManager batch = executor.manager().newSubManager()) {
                    NDArray x = batch.create(images, new Shape(BATCH, 3, SIZE, SIZE));
                    NDArray y = batch.create(labels, new Shape(BATCH));
                    try (GradientCollector collector = DjlEngine.get().newGradientCollector()) {
                        NDArray logits = executor.forward(x, true).get(Outputs.LOGITS);
                        NDArray value = loss.evaluate(new NDList(y), new NDList(logits));
                        collector.backward(value);
                        losses.add(value.getFloat());
                    }
                    adam.step(executor.trainableParameters(), name -> 0.05);
                }
                if (step == 0) {
                    arraysAfterFirstStep = executor.manager().getManagedArrays().size();
                }
            }
            assertThat(executor.manager().getManagedArrays()).as("no handles pile up step after step")
                    .hasSize(arraysAfterFirstStep);
            try (NDArray gradient = executor.trainableParameters().get("fc.weight").getGradient()) {
                assertThat(gradient.toFloatArray()).as("zeroed after the update").containsOnly(0f);
            }
            System.err.printf("tiny graph, 30 Adam steps: loss %.4f -> %.4f%n", losses.get(0),
                    losses.get(losses.size() - 1));
            assertThat(losses.get(losses.size() - 1)).isLessThan(0.5f * losses.get(0));

            Weights tuned = executor.weights();
            assertThat(tuned.get("conv.weight").data()).containsExactly(initial.get("conv.weight").data());
            assertThat(tuned.get("fc.weight").data()).isNotEqualTo(initial.get("fc.weight").data());
            assertThat(tuned.get("bn.running_mean").data())
                    .as("trainable batch-norm follows the batches").isNotEqualTo(initial.get("bn.running_mean").data());
        }
    }

    @Test
    void frozenBatchNormStaysInInferenceModeWhenTraining() {
        Graph g = tiny();
        Weights initial = DjlExecutorParityTest.scaledRandom(g, 3);
        try (DjlExecutor executor = new DjlExecutor(g, initial)) {
            executor.attachGradient("fc");
            float[] images = DjlExecutorParityTest.gaussianInput(BATCH, SIZE, 11);
            float[] trained;
            try (NDManager batch = executor.manager().newSubManager();
                 GradientCollector collector = DjlEngine.get().newGradientCollector()) {
                NDArray x = batch.create(images, new Shape(BATCH, 3, SIZE, SIZE));
                NDArray logits = executor.forward(x, true).get(Outputs.LOGITS);
                collector.backward(logits.sum());
                trained = logits.toFloatArray();
            }
            float[] inference = executor.run(images, new long[] {BATCH, 3, SIZE, SIZE},
                    List.of(Outputs.LOGITS)).get(Outputs.LOGITS)[0];
            assertThat(executor.weights().get("bn.running_var").data())
                    .containsExactly(initial.get("bn.running_var").data());
            assertThat(Arrays.copyOf(trained, CLASSES)).containsExactly(inference);
        }
    }

    @Test
    void inferenceLeavesNoArraysBehind() {
        Graph g = tiny();
        try (DjlExecutor executor = new DjlExecutor(g, DjlExecutorParityTest.scaledRandom(g, 3))) {
            int before = executor.manager().getManagedArrays().size();
            float[] images = DjlExecutorParityTest.gaussianInput(2, SIZE, 1);
            executor.run(images, new long[] {2, 3, SIZE, SIZE}, List.of(Outputs.FEATURES, Outputs.LOGITS));
            assertThat(executor.manager().getManagedArrays()).hasSize(before);
            assertThat(before).isEqualTo(g.parameters().size());
        }
    }

    @Test
    void unknownPrefixAndWrongInputAreRefused() {
        Graph g = tiny();
        try (DjlExecutor executor = new DjlExecutor(g, DjlExecutorParityTest.scaledRandom(g, 3))) {
            assertThatThrownBy(() -> executor.attachGradient("classifier"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'classifier'");
            assertThatThrownBy(() -> executor.run(new float[10], new long[] {1, 3, 4, 4}, List.of(Outputs.LOGITS)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[n, 3, 8, 8]");
        }
    }

    /** Noise images whose channel {@code label} is brighter: a task the top layers can learn. */
    private static float[] labelledImages(float[] labels) {
        float[] images = DjlExecutorParityTest.gaussianInput(BATCH, SIZE, 11);
        int plane = SIZE * SIZE;
        for (int i = 0; i < BATCH; i++) {
            int offset = (i * 3 + (int) labels[i]) * plane;
            for (int j = 0; j < plane; j++) {
                images[offset + j] += 1f;
            }
        }
        return images;
    }

    private static float[] randomLabels(long seed) {
        Random r = new Random(seed);
        float[] labels = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = r.nextInt(CLASSES);
        }
        return labels;
    }
}
