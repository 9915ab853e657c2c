package org.transfer4j.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.transfer4j.unlabeled.Embeddings;

/** Issue 15: pairs of similar embeddings become leakage across the split and a warning within it, with their similarity. */
class ContentDuplicatesTest {

    private static Embeddings embeddings(float[]... rows) {
        List<Embeddings.Item> items = List.of(Embeddings.Item.of("train/a/1.jpg", "h1"),
                Embeddings.Item.of("train/a/2.jpg", "h2"), Embeddings.Item.of("test/a/3.jpg", "h3"),
                Embeddings.Item.of("train/b/4.jpg", "h4"));
        return new Embeddings(Path.of("/data"), items, rows, "test-backbone", "sha", "none", List.of());
    }

    @Test
    void splitsPairsIntoLeakageAndWithinSplitCopies() {
        Embeddings e = embeddings(new float[] {1, 0, 0}, new float[] {0.99f, 0.1f, 0}, new float[] {1, 0.02f, 0},
                new float[] {0, 0, 1});
        List<Finding> findings = ContentDuplicates.findings(e, Set.of("test/a/3.jpg"), 0.95);
        assertThat(findings).extracting(Finding::code).containsExactly("leakage-content", "near-content");
        Finding leakage = findings.get(0);
        assertThat(leakage.distorts()).isTrue();
        assertThat(leakage.files()).containsExactly("train/a/1.jpg ~ test/a/3.jpg (cosine 1.000)",
                "train/a/2.jpg ~ test/a/3.jpg (cosine 0.997)");
        assertThat(leakage.message()).startsWith("2 test image(s)").contains("test-backbone features of 0.95 or more");
        assertThat(findings.get(1).distorts()).isFalse();
        assertThat(findings.get(1).files()).containsExactly("train/a/1.jpg ~ train/a/2.jpg (cosine 0.995)");
    }

    @Test
    void noPairIsANote() {
        Embeddings e = embeddings(new float[] {1, 0, 0}, new float[] {0, 1, 0}, new float[] {0, 0, 1},
                new float[] {-1, 0, 0});
        List<Finding> findings = ContentDuplicates.findings(e, Set.of("test/a/3.jpg"), 0.855);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.message()).as("the threshold as given, not rounded").contains("0.855");
            assertThat(f.severity()).isEqualTo(Finding.Severity.NOTE);
            assertThat(f.files()).isEmpty();
        });
    }
}
