package org.transfer4j.semi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 16: margin uncertainty with k-center-greedy diversity. */
class SuggestionsTest {

    @Test
    void mostUncertainFirstThenNotItsCopies() {
        float[][] p = {{0.9f, 0.1f}, {0.52f, 0.48f}, {0.52f, 0.48f}, {0.6f, 0.4f}, {0.99f, 0.01f}};
        float[][] f = {{1, 0, 0}, {0, 1, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}};
        List<Suggestions.Suggestion> s = Suggestions.rank(p, f, 3);
        assertThat(s).extracting(Suggestions.Suggestion::row).containsExactly(1, 3, 0);
        assertThat(s.get(0).margin()).isCloseTo(0.04, within(1e-6));
        assertThat(s.get(0).distance()).isEqualTo(1);
        assertThat(s.get(1).score()).isCloseTo(0.8, within(1e-6)); // (1 - 0.2) x cosine distance 1
        // row 2 is a copy of row 1: distance 0, picked last
        assertThat(Suggestions.rank(p, f, 5).get(4).row()).isEqualTo(2);
    }

    @Test
    void fewerImagesThanAskedAndBadCounts() {
        assertThat(Suggestions.rank(new float[][] {{0.5f, 0.5f}}, new float[][] {{1, 0}}, 20)).hasSize(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Suggestions.rank(new float[1][2], new float[1][2], 0))
                .hasMessageContaining("--n must be at least 1");
    }
}
