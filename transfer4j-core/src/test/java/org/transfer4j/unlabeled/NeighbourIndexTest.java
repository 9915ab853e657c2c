package org.transfer4j.unlabeled;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 15: exact cosine search, and HNSW's recall@10 against it. */
class NeighbourIndexTest {

    @Test
    void exactSearchRanksByCosine() {
        float[][] v = {{1, 0}, {0, 2}, {3, 3}, {-1, 0}};
        NeighbourIndex index = NeighbourIndex.exact(v);
        List<NeighbourIndex.Neighbour> found = index.search(new float[] {5, 0.1f}, 3);
        assertThat(found).extracting(NeighbourIndex.Neighbour::row).containsExactly(0, 2, 1);
        assertThat(found.get(0).similarity()).isGreaterThan(0.99f);
        assertThat(found.get(1).similarity()).isBetween(0.70f, 0.73f);
        assertThat(index.search(new float[] {1, 0}, 10)).hasSize(4);
        assertThat(index.isApproximate()).isFalse();
    }

    @Test
    void hnswRecallAtTenAgainstExactIsAtLeast095() {
        Random random = new Random(15);
        int n = 4000;
        int d = 64;
        float[][] v = gaussian(random, n, d);
        NeighbourIndex exact = NeighbourIndex.exact(v);
        NeighbourIndex hnsw = NeighbourIndex.approximate(v);
        assertThat(hnsw.isApproximate()).isTrue();
        float[][] queries = gaussian(random, 200, d);
        int hits = 0;
        for (float[] q : queries) {
            Set<Integer> truth = new HashSet<>();
            exact.search(q, 10).forEach(nb -> truth.add(nb.row()));
            for (NeighbourIndex.Neighbour nb : hnsw.search(q, 10)) {
                hits += truth.contains(nb.row()) ? 1 : 0;
            }
        }
        double recall = hits / (10.0 * queries.length);
        System.out.printf("HNSW recall@10 against exact: %.4f (n=%d, d=%d, 200 queries)%n", recall, n, d);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
    }

    private static float[][] gaussian(Random random, int n, int d) {
        float[][] v = new float[n][d];
        for (float[] row : v) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return v;
    }
}
