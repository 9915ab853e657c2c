package org.transfer4j.unlabeled;

import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * Nearest neighbours by cosine similarity over L2-normalised vectors. Exact search (every dot product)
 * below {@link #HNSW_THRESHOLD} vectors; above it, an HNSW graph (hnswlib-core, M = 16,
 * efConstruction = 200, ef = 100), built when the index is made. The graph is not saved: the files
 * of an index are its embeddings, and loading one rebuilds the graph.
 */
public final class NeighbourIndex {

    /**
     * Vectors from which {@link #of} builds an HNSW graph instead of searching exactly. Provisional: the
     * crossover of build cost plus query time against exact search has not been measured yet.
     */
    public static final int HNSW_THRESHOLD = 20_000;

    /** Neighbours a search returns unless told otherwise ({@code similar --k}). */
    public static final int DEFAULT_K = 10;

    /**
     * One neighbour.
     *
     * @param row the row of the vector in the indexed embeddings
     * @param similarity cosine similarity with the query, in [-1, 1]
     */
    public record Neighbour(int row, float similarity) {
    }

    /** An indexed vector, as hnswlib-core stores it. */
    private record Row(Integer id, float[] vector) implements Item<Integer, float[]> {

        @Override
        public int dimensions() {
            return vector.length;
        }
    }

    private final float[][] unit;
    private final HnswIndex<Integer, float[], Row, Float> graph;

    private NeighbourIndex(float[][] unit, boolean approximate) {
        this.unit = unit;
        if (approximate && unit.length > 0) {
            graph = HnswIndex.newBuilder(unit[0].length, DistanceFunctions.FLOAT_INNER_PRODUCT, unit.length)
                    .withM(16).withEfConstruction(200).withEf(100).build();
            List<Row> rows = new ArrayList<>(unit.length);
            for (int i = 0; i < unit.length; i++) {
                rows.add(new Row(i, unit[i]));
            }
            try {
                graph.addAll(rows, Runtime.getRuntime().availableProcessors(), (done, max) -> { }, Integer.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while building the HNSW graph", e);
            }
        } else {
            graph = null;
        }
    }

    /** Exact search below {@link #HNSW_THRESHOLD} vectors, HNSW from there on; the vectors are normalised here. */
    public static NeighbourIndex of(float[][] vectors) {
        return vectors.length >= HNSW_THRESHOLD ? approximate(vectors) : exact(vectors);
    }

    /** Exact search over the vectors (normalised here). */
    public static NeighbourIndex exact(float[][] vectors) {
        return new NeighbourIndex(normalise(vectors), false);
    }

    /** An HNSW graph over the vectors (normalised here). */
    public static NeighbourIndex approximate(float[][] vectors) {
        return new NeighbourIndex(normalise(vectors), true);
    }

    /** Whether searches go through the HNSW graph. */
    public boolean isApproximate() {
        return graph != null;
    }

    /** Number of vectors. */
    public int size() {
        return unit.length;
    }

    /** The k nearest vectors to the query (normalised here), most similar first. */
    public List<Neighbour> search(float[] query, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("--k must be at least 1, got " + k);
        }
        float[] q = VectorMath.normalised(query);
        if (unit.length > 0 && q.length != unit[0].length) {
            throw new IllegalArgumentException("query has " + q.length + " values, the index " + unit[0].length);
        }
        int n = Math.min(k, unit.length);
        if (graph != null) {
            List<Neighbour> found = new ArrayList<>(n);
            for (SearchResult<Row, Float> r : graph.findNearest(q, n)) {
                found.add(new Neighbour(r.item().id(), 1 - r.distance()));
            }
            return List.copyOf(found);
        }
        // the k best so far, kept sorted (most similar first; ties by row): one pass, no full sort
        int[] rows = new int[n];
        float[] sims = new float[n];
        int kept = 0;
        for (int i = 0; i < unit.length; i++) {
            float s = VectorMath.dot(q, unit[i]);
            if (kept == n && s <= sims[n - 1]) {
                continue; // not better than the worst kept (rows come in order, so a tie keeps the earlier row)
            }
            int at = kept < n ? kept++ : n - 1;
            while (at > 0 && sims[at - 1] < s) {
                sims[at] = sims[at - 1];
                rows[at] = rows[at - 1];
                at--;
            }
            sims[at] = s;
            rows[at] = i;
        }
        List<Neighbour> found = new ArrayList<>(n);
        for (int i = 0; i < kept; i++) {
            found.add(new Neighbour(rows[i], sims[i]));
        }
        return List.copyOf(found);
    }

    private static float[][] normalise(float[][] vectors) {
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = VectorMath.normalised(vectors[i]);
        }
        return out;
    }
}
