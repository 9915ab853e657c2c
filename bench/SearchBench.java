import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.transfer4j.unlabeled.EmbeddingFiles;
import org.transfer4j.unlabeled.Embeddings;
import org.transfer4j.unlabeled.NeighbourIndex;

/**
 * transfer4j's NeighbourIndex: exact search against its HNSW graph (issue 15, "search quality"). Prints
 * Markdown table rows: vectors, width, exact p50/p99 ms, HNSW build seconds, HNSW p50/p99 ms (one
 * thread, after 50 warm-up queries) and HNSW's recall@10 against exact search.
 *
 * <pre>
 * real EMB_DIR                  every row of an embed/index folder is a query (leave-one-out: the row
 *                               itself is dropped from both answers); one line for all rows, one per
 *                               first folder of the paths (the data set when EMB_DIR embeds ../shared/datasets)
 * derived EMB_DIR QUERIES N...  N synthetic vectors made from the real ones: a random real row plus
 *                               Gaussian noise of half each dimension's standard deviation; the queries
 *                               are drawn the same way and are not in the index
 * gaussian DIM QUERIES N...     N standard Gaussian vectors (no structure: the hard case for HNSW)
 * </pre>
 *
 * Usage: java -cp transfer4j-core/target/transfer4j.jar:$(cat transfer4j-core/target/classpath.txt) bench/SearchBench.java MODE ...
 */
public class SearchBench {

    private static final int K = 10;
    private static final int WARM_UP = 50;

    public static void main(String[] args) {
        String mode = args[0];
        System.out.println("| data | vectors | dim | queries | exact p50 ms | exact p99 ms | HNSW build s | HNSW p50 ms "
                + "| HNSW p99 ms | recall@10 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        switch (mode) {
            case "real" -> real(EmbeddingFiles.read(Path.of(args[1])));
            case "derived" -> {
                float[][] base = EmbeddingFiles.read(Path.of(args[1])).vectors();
                int queries = Integer.parseInt(args[2]);
                for (String size : Arrays.copyOfRange(args, 3, args.length)) {
                    int n = Integer.parseInt(size);
                    Random random = new Random(n);
                    float[][] v = derived(random, base, n);
                    float[][] q = derived(random, base, queries + WARM_UP);
                    synthetic("derived from " + base.length + " real", v, q);
                }
            }
            case "gaussian" -> {
                int dim = Integer.parseInt(args[1]);
                int queries = Integer.parseInt(args[2]);
                for (String size : Arrays.copyOfRange(args, 3, args.length)) {
                    int n = Integer.parseInt(size);
                    Random random = new Random(n);
                    synthetic("gaussian", gaussian(random, n, dim), gaussian(random, queries + WARM_UP, dim));
                }
            }
            default -> throw new IllegalArgumentException("mode must be real, derived or gaussian, got " + mode);
        }
    }

    /** Leave-one-out over every row, reported for all rows and per first folder of the path. */
    private static void real(Embeddings e) {
        float[][] v = e.vectors();
        NeighbourIndex exact = NeighbourIndex.exact(v);
        long start = System.nanoTime();
        NeighbourIndex hnsw = NeighbourIndex.approximate(v);
        double build = (System.nanoTime() - start) / 1e9;
        int n = v.length;
        double[] exactMs = new double[n];
        double[] hnswMs = new double[n];
        int[] hits = new int[n];
        for (int i = 0; i < WARM_UP; i++) {
            exact.search(v[i], K + 1);
            hnsw.search(v[i], K + 1);
        }
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            List<NeighbourIndex.Neighbour> truth = exact.search(v[i], K + 1);
            long t1 = System.nanoTime();
            List<NeighbourIndex.Neighbour> found = hnsw.search(v[i], K + 1);
            long t2 = System.nanoTime();
            exactMs[i] = (t1 - t0) / 1e6;
            hnswMs[i] = (t2 - t1) / 1e6;
            hits[i] = overlap(withoutRow(truth, i), withoutRow(found, i));
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        groups.put("all", new ArrayList<>());
        for (int i = 0; i < n; i++) {
            groups.get("all").add(i);
            String path = e.items().get(i).path();
            groups.computeIfAbsent(path.contains("/") ? path.substring(0, path.indexOf('/')) : "", g -> new ArrayList<>())
                    .add(i);
        }
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            List<Integer> rows = g.getValue();
            double[] ex = rows.stream().mapToDouble(i -> exactMs[i]).toArray();
            double[] hn = rows.stream().mapToDouble(i -> hnswMs[i]).toArray();
            long total = rows.stream().mapToLong(i -> hits[i]).sum();
            System.out.printf(Locale.ROOT, "| real: %s (queries from it, index of all) | %d | %d | %d | %.2f | %.2f | %.1f | %.3f "
                            + "| %.3f | %.4f |%n", g.getKey(), n, e.width(), rows.size(), percentile(ex, 50),
                    percentile(ex, 99), build, percentile(hn, 50), percentile(hn, 99), total / (double) (K * rows.size()));
        }
    }

    /** The first {@code queries.length - WARM_UP} queries after the warm-up are timed and scored. */
    private static void synthetic(String data, float[][] v, float[][] q) {
        NeighbourIndex exact = NeighbourIndex.exact(v);
        long start = System.nanoTime();
        NeighbourIndex hnsw = NeighbourIndex.approximate(v);
        double build = (System.nanoTime() - start) / 1e9;
        int queries = q.length - WARM_UP;
        double[] exactMs = new double[queries];
        double[] hnswMs = new double[queries];
        long hits = 0;
        for (int i = 0; i < q.length; i++) {
            long t0 = System.nanoTime();
            List<NeighbourIndex.Neighbour> truth = exact.search(q[i], K);
            long t1 = System.nanoTime();
            List<NeighbourIndex.Neighbour> found = hnsw.search(q[i], K);
            long t2 = System.nanoTime();
            if (i >= WARM_UP) {
                exactMs[i - WARM_UP] = (t1 - t0) / 1e6;
                hnswMs[i - WARM_UP] = (t2 - t1) / 1e6;
                hits += overlap(truth, found);
            }
        }
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.2f | %.2f | %.1f | %.3f | %.3f | %.4f |%n", data, v.length,
                v[0].length, queries, percentile(exactMs, 50), percentile(exactMs, 99), build, percentile(hnswMs, 50),
                percentile(hnswMs, 99), hits / (double) (K * queries));
    }

    private static List<NeighbourIndex.Neighbour> withoutRow(List<NeighbourIndex.Neighbour> found, int row) {
        List<NeighbourIndex.Neighbour> out = new ArrayList<>(found);
        if (!out.removeIf(nb -> nb.row() == row)) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static int overlap(List<NeighbourIndex.Neighbour> truth, List<NeighbourIndex.Neighbour> found) {
        Set<Integer> rows = new HashSet<>();
        truth.forEach(nb -> rows.add(nb.row()));
        int hits = 0;
        for (NeighbourIndex.Neighbour nb : found) {
            hits += rows.contains(nb.row()) ? 1 : 0;
        }
        return hits;
    }

    private static double percentile(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[Math.min(v.length - 1, (int) Math.ceil(p / 100 * v.length) - 1)];
    }

    private static float[][] derived(Random random, float[][] base, int n) {
        int d = base[0].length;
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            double sum = 0;
            double sq = 0;
            for (float[] row : base) {
                sum += row[j];
                sq += (double) row[j] * row[j];
            }
            double mean = sum / base.length;
            sd[j] = Math.sqrt(Math.max(0, sq / base.length - mean * mean));
        }
        float[][] v = new float[n][d];
        for (float[] row : v) {
            float[] from = base[random.nextInt(base.length)];
            for (int j = 0; j < d; j++) {
                row[j] = (float) (from[j] + 0.5 * sd[j] * random.nextGaussian());
            }
        }
        return v;
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
