package org.transfer4j.unlabeled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Near duplicates by embedding cosine: the threshold, the order, and exact copies left out. */
class NearDuplicatesTest {

    @Test
    void findsPairsAboveTheThresholdMostSimilarFirst() {
        List<Embeddings.Item> items = List.of(Embeddings.Item.of("a/1.jpg", "h1"), Embeddings.Item.of("a/2.jpg", "h2"),
                Embeddings.Item.of("b/3.jpg", "h3"), Embeddings.Item.of("b/4.jpg", "h1"));
        float[][] v = {{1, 0, 0}, {0.98f, 0.2f, 0}, {1, 0.05f, 0}, {1, 0, 0}};
        Embeddings e = new Embeddings(Path.of("/data"), items, v, "test", "sha", "none", List.of());
        List<NearDuplicates.Pair> pairs = NearDuplicates.find(e, 0.95);
        assertThat(pairs).extracting(p -> p.first() + "-" + p.second())
                .as("0-3 share a content hash: left to the exact finder").containsExactly("0-2", "2-3", "1-2", "0-1", "1-3");
        assertThat(pairs.get(0).cosine()).isGreaterThan(0.998f);
        assertThat(NearDuplicates.find(e, 0.999)).isEmpty();
        assertThatThrownBy(() -> NearDuplicates.find(e, 1.5)).hasMessageContaining("--min-cosine");
    }

    @Test
    void calibrationTakesTheThresholdWithFewestErrorsInTheMiddleOfItsGap() {
        float[] copies = {0.99f, 0.95f, 0.93f, 0.70f};
        float[] others = {0.90f, 0.80f, 0.60f};
        assertThat(NearDuplicates.calibrate(copies, others)).as("one copy missed, no false pair: between 0.93 and 0.90")
                .isCloseTo(0.915, org.assertj.core.api.Assertions.within(1e-6));
        float[] overlapping = {0.91f, 0.95f};
        float[] high = {0.92f, 0.85f};
        assertThat(NearDuplicates.calibrate(overlapping, high)).as("ties: the highest of the equally good thresholds")
                .isCloseTo(0.935, org.assertj.core.api.Assertions.within(1e-6));
        assertThatThrownBy(() -> NearDuplicates.calibrate(new float[0], others)).hasMessageContaining("known copy");
    }
}
