package org.transfer4j.unlabeled;

import com.github.jelmerk.hnswlib.core.DistanceFunction;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import java.util.ArrayList;
import java.util.List;
import org.transfer4j.data.ProgressBar;

/**
 * Nearest neighbours by cosine similarity over L2-normalised vectors: exact search (every dot product), or
 * an HNSW graph (hnswlib-core, M = 16, efConstruction = 200, ef = 100) built when the index is made, which
 * pays for itself only over many queries ({@link #of}). The graph is not saved (hnswlib-core saves by Java
 * serialisation, which transfer4j does not read from files): the files of an index are its embeddings.
 */
public final class NeighbourIndex {

    /**
     * Vectors below which {@link #of} always searches exactly: at 20,000 vectors of width 1280 an exact
     * search takes about 24 ms on 2 cores (bench/search.sh), fast enough for a person waiting.
     */
    public static final int HNSW_THRESHOLD = 20_000;

    /**
     * Queries from which {@link #of} builds an HNSW graph: building it costs as much as about 1,170
     * (20,000 vectors: 28 s against 24 ms per exact search) to 1,630 (100,000 vectors: 190 s against
     * 116 ms) exact searches of width 1280 on 2 cores (bench/search.sh, bench/results/2026-12-03-search-*),
     * and the graph lives only as long as the index object.
     */
    public static final int HNSW_MIN_QUERIES = 2_000;

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

    /** 1 − cosine of unit vectors, with transfer4j's dot product (hnswlib-core's keeps one running sum). */
    private static final class InnerProductDistance implements DistanceFunction<float[], Float> {

        private static final long serialVersionUID = 1L;

        @Override
        public Float distance(float[] u, float[] v) {
            return 1 - VectorMath.dot(u, v);
        }
    }

    private static final int PROGRESS_EVERY = 1_000;

    private final float[][] unit;
    private final HnswIndex<Integer, float[], Row, Float> graph;

    private NeighbourIndex(float[][] unit, boolean approximate, ProgressBar progress) {
        this.unit = unit;
        if (approximate && unit.length > 0) {
            graph = HnswIndex.newBuilder(unit[0].length, new InnerProductDistance(), unit.length)
                    .withM(16).withEfConstruction(200).withEf(100).build();
            List<Row> rows = new ArrayList<>(unit.length);
            for (int i = 0; i < unit.length; i++) {
                rows.add(new Row(i, unit[i]));
            }
            try {
                long[] reported = {0};
                graph.addAll(rows, Runtime.getRuntime().availableProcessors(), (done, max) -> {
                    if (progress != null) {
                        synchronized (reported) {
                            progress.advance(Math.max(0, done - reported[0]));
                            reported[0] = Math.max(reported[0], done);
                        }
                    }
                }, PROGRESS_EVERY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while building the HNSW graph", e);
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
        } else {
            graph = null;
        }
    }

    /**
     * The faster index for a number of queries: an HNSW graph from {@link #HNSW_THRESHOLD} vectors and
     * {@link #HNSW_MIN_QUERIES} queries on, where the build pays for itself; exact search otherwise. The
     * vectors are normalised here.
     */
    public static NeighbourIndex of(float[][] vectors, int queries) {
        return usesHnsw(vectors.length, queries) ? approximate(vectors) : exact(vectors);
    }

    /** Whether {@link #of} builds an HNSW graph for this many vectors and queries. */
    public static boolean usesHnsw(int vectors, int queries) {
        return vectors >= HNSW_THRESHOLD && queries >= HNSW_MIN_QUERIES;
    }

    /** Exact search over the vectors (normalised here). */
    public static NeighbourIndex exact(float[][] vectors) {
        return new NeighbourIndex(normalise(vectors), false, null);
    }

    /** An HNSW graph over the vectors (normalised here). */
    public static NeighbourIndex approximate(float[][] vectors) {
        return approximate(vectors, null);
    }

    /** An HNSW graph over the vectors (normalised here), its build counted on a progress bar (closed here) unless null. */
    public static NeighbourIndex approximate(float[][] vectors, ProgressBar progress) {
        return new NeighbourIndex(normalise(vectors), true, progress);
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
