package org.transfer4j.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.exec.BatchNormAdaptation;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * AdaBN against PyTorch itself: a torchvision ResNet-18 with random weights, two batches of random images,
 * every batch norm in train mode with {@code momentum=None} (the reference, adabn_reference.py) against
 * {@link BatchNormAdaptation} on our graph: every layer's re-estimated running mean and variance, down to
 * the last block, where each layer's input went through the batch-normalised layers below it.
 */
@Tag("slow")
class BatchNormAdaptationParityTest {

    /** Largest difference allowed, relative to the largest absolute reference value of the tensor. */
    private static final double RELATIVE_TOLERANCE = 1e-4;
    private static final int BATCH = 3;

    @TempDir
    Path reference;

    @Test
    void everyLayersStatisticsEqualPyTorchs() throws IOException, InterruptedException {
        TorchvisionScript.run("adabn_reference.py", reference, List.of("resnet18"));
        Path dir = reference.resolve("resnet18");
        Graph g = Architectures.build("resnet18");
        Weights weights = RandomWeightsParityTest.readTensors(dir, "weights");
        float[] images = RandomWeightsParityTest.readFloats(dir.resolve("input.f32"));
        int per = images.length / 2;
        Weights adapted;
        try (BatchNormAdaptation adaptation = new BatchNormAdaptation(g, weights)) {
            for (int b = 0; b < 2; b++) {
                adaptation.observe(Arrays.copyOfRange(images, b * per, (b + 1) * per),
                        new long[] {BATCH, 3, g.inputSize(), g.inputSize()});
            }
            adapted = adaptation.result();
        }
        Map<String, Tensor> expected = RandomWeightsParityTest.readTensors(dir, "adapted").asMap();
        assertThat(expected).hasSize(2 * 20);
        expected.forEach((name, tensor) -> {
            float[] want = tensor.data();
            float[] got = adapted.get(name).data();
            double scale = 0;
            double worst = 0;
            for (int c = 0; c < want.length; c++) {
                scale = Math.max(scale, Math.abs(want[c]));
                worst = Math.max(worst, Math.abs(got[c] - want[c]));
            }
            assertThat(worst / scale).as(name + ": max |diff| " + worst + " over max |value| " + scale)
                    .isLessThan(RELATIVE_TOLERANCE);
            assertThat(got).as(name + " changed from the file's").isNotEqualTo(weights.get(name).data());
        });
    }
}
