package org.transfer4j.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's counters, written as Prometheus text ({@code GET /metrics}): requests by status, a
 * latency histogram, a batch-size histogram, each model's queue depth and load time.
 */
final class ServerMetrics {

    /** A cumulative histogram with fixed upper bounds. */
    static final class Histogram {
        private final double[] bounds;
        private final AtomicLongArray counts;
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        Histogram(double... bounds) {
            this.bounds = bounds.clone();
            this.counts = new AtomicLongArray(bounds.length);
        }

        void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    counts.incrementAndGet(i);
                }
            }
            sum.add(value);
            count.increment();
        }

        void write(StringBuilder out, String name, String help) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" histogram\n");
            for (int i = 0; i < bounds.length; i++) {
                out.append(name).append("_bucket{le=\"").append(number(bounds[i])).append("\"} ")
                        .append(counts.get(i)).append('\n');
            }
            out.append(name).append("_bucket{le=\"+Inf\"} ").append(count.sum()).append('\n');
            out.append(name).append("_sum ").append(number(sum.sum())).append('\n');
            out.append(name).append("_count ").append(count.sum()).append('\n');
        }
    }

    private final Map<Integer, LongAdder> byStatus = new ConcurrentSkipListMap<>();
    private final Histogram latency = new Histogram(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
    private final Histogram batchSize = new Histogram(1, 2, 4, 8, 16, 32, 64, 128);
    private final Map<String, IntSupplier> queueDepth = new TreeMap<>();
    private final Map<String, Double> loadSeconds = new TreeMap<>();

    void request(int status, double seconds) {
        byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        latency.observe(seconds);
    }

    void batch(int size) {
        batchSize.observe(size);
    }

    synchronized void model(String name, double seconds, IntSupplier depth) {
        String label = name.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        loadSeconds.put(label, seconds);
        queueDepth.put(label, depth);
    }

    /** Requests answered with a status so far. */
    long requests(int status) {
        LongAdder a = byStatus.get(status);
        return a == null ? 0 : a.sum();
    }

    synchronized String text() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP transfer4j_requests_total HTTP requests answered, by status code.\n");
        out.append("# TYPE transfer4j_requests_total counter\n");
        byStatus.forEach((status, n) -> out.append("transfer4j_requests_total{status=\"").append(status).append("\"} ")
                .append(n.sum()).append('\n'));
        latency.write(out, "transfer4j_request_duration_seconds", "Time from request to response.");
        batchSize.write(out, "transfer4j_batch_size", "Images per batch run through a model.");
        out.append("# HELP transfer4j_queue_depth Images waiting for a batch.\n# TYPE transfer4j_queue_depth gauge\n");
        queueDepth.forEach((name, depth) -> out.append("transfer4j_queue_depth{model=\"").append(name).append("\"} ")
                .append(depth.getAsInt()).append('\n'));
        out.append("# HELP transfer4j_model_load_seconds Seconds spent loading a model.\n"
                + "# TYPE transfer4j_model_load_seconds gauge\n");
        loadSeconds.forEach((name, s) -> out.append("transfer4j_model_load_seconds{model=\"").append(name).append("\"} ")
                .append(number(s)).append('\n'));
        return out.toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
