import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.transfer4j.unlabeled.NeighbourIndex;

/**
 * Exact search against the HNSW graph of transfer4j's NeighbourIndex on random Gaussian vectors: build
 * seconds, query latency p50 and p99 (milliseconds, one thread, after 50 warm-up queries) and HNSW's
 * recall@10 against exact search. Random vectors are the hard case for HNSW; real embeddings cluster.
 * Prints one Markdown table row per size.
 * Usage: java -cp transfer4j-core/target/transfer4j.jar:$(cat transfer4j-core/target/classpath.txt) bench/SearchBench.java DIM QUERIES N...
 *   e.g. bench/SearchBench.java 1280 200 10000 20000 50000 100000   (the size test: 100,000)
 */
public class SearchBench {

    public static void main(String[] args) {
        int dim = Integer.parseInt(args[0]);
        int queries = Integer.parseInt(args[1]);
        System.out.println("| vectors | dim | exact p50 ms | exact p99 ms | HNSW build s | HNSW p50 ms | HNSW p99 ms | recall@10 |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String size : Arrays.copyOfRange(args, 2, args.length)) {
            int n = Integer.parseInt(size);
            Random random = new Random(n);
            float[][] v = gaussian(random, n, dim);
            float[][] q = gaussian(random, queries + 50, dim);
            NeighbourIndex exact = NeighbourIndex.exact(v);
            long start = System.nanoTime();
            NeighbourIndex hnsw = NeighbourIndex.approximate(v);
            double build = (System.nanoTime() - start) / 1e9;
            double[] exactMs = new double[queries];
            double[] hnswMs = new double[queries];
            int hits = 0;
            for (int i = 0; i < queries + 50; i++) {
                long t0 = System.nanoTime();
                List<NeighbourIndex.Neighbour> truth = exact.search(q[i], 10);
                long t1 = System.nanoTime();
                List<NeighbourIndex.Neighbour> found = hnsw.search(q[i], 10);
                long t2 = System.nanoTime();
                if (i >= 50) {
                    exactMs[i - 50] = (t1 - t0) / 1e6;
                    hnswMs[i - 50] = (t2 - t1) / 1e6;
                    Set<Integer> rows = new HashSet<>();
                    truth.forEach(nb -> rows.add(nb.row()));
                    for (NeighbourIndex.Neighbour nb : found) {
                        hits += rows.contains(nb.row()) ? 1 : 0;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.1f | %.3f | %.3f | %.4f |%n", n, dim,
                    percentile(exactMs, 50), percentile(exactMs, 99), build, percentile(hnswMs, 50),
                    percentile(hnswMs, 99), hits / (10.0 * queries));
        }
    }

    private static double percentile(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[Math.min(v.length - 1, (int) Math.ceil(p / 100 * v.length) - 1)];
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
