import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.transfer4j.data.ImageDecoder;
import org.transfer4j.data.Sample;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.serve.ModelServer;

/**
 * Load benchmark of transfer4j serve (loopback only, bounded, stops by itself):
 * java -cp CLASSPATH bench/ServeLoadBench.java BUNDLE IMAGE_FOLDER REQUESTS [QUEUE]
 * 1. in-process, two references: (a) the bundle's ImageClassifier.predictAll on images decoded beforehand,
 *    batches of 16 (no decoding: the stricter one), run the way the server runs batches (as many threads as
 *    its --workers, each with its share of ONNX Runtime's threads); (b) ImageClassifier.score on the JPEG files, which
 *    decodes and prepares them on a loader's threads while the previous batch of 32 runs (the work the
 *    server does, without HTTP);
 * 2. 16 concurrent clients send REQUESTS raw images to POST /predictions (queue 256): throughput, p50, p99,
 *    errors, as a share of both references;
 * 3. 4 x QUEUE clients (default queue 8) against a server with that queue: 503s and their latency, other
 *    failures, a health check during the overload, resident memory before and after.
 * Prints a Markdown section for BENCHMARKS.md. -Dserve.maxBatch=N sets the 16-client server's --max-batch
 * (default: the server's, 16), and the run prints how many images its batches held on average (/metrics);
 * -Dserve.workers=N its --workers (default 1).
 * <p>Every figure is a steady state: each in-process reference first runs {@value #WARM_IN_PROCESS} images,
 * and the server answers -Dserve.warmup=N requests (default {@value #WARM_SERVER}) before the clock starts.
 * Jetty, Javalin, Jackson and the JDK's HTTP client are large, and the JIT compiles them over thousands
 * of requests: after a warm-up of 16 requests the compiler threads took 2.4 ms of CPU per image served
 * (14 % of the process's CPU), after 4,800 about 1 ms.
 */
public class ServeLoadBench {

    static final int WARM_IN_PROCESS = 480;
    static final int WARM_SERVER = 4800;

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(args[1]))) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        int requests = Integer.parseInt(args[2]);
        int queue = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        List<byte[]> bodies = new ArrayList<>();
        List<BufferedImage> decoded = new ArrayList<>();
        for (int i = 0; i < Math.min(files.size(), 64); i++) {
            bodies.add(Files.readAllBytes(files.get(i)));
            decoded.add(ImageDecoder.decodeRgb(files.get(i)));
        }
        double inProcess;
        double fromFiles;
        ModelServer.Options d = ModelServer.Options.defaults();
        int maxBatch = Integer.getInteger("serve.maxBatch", d.maxBatch());
        ModelServer.Options options = new ModelServer.Options(d.host(), 0, maxBatch, d.maxDelayMs(), d.queue(), d.maxBytes(),
                Integer.getInteger("serve.workers", d.workers()));
        // (a) runs as the server's workers do: as many threads, each batch on its share of the cores
        try (ImageClassifier model = ImageClassifier.load(bundle, org.transfer4j.exec.Device.cpu(),
                options.threadsPerWorker())) {
            predictAll(model, decoded, WARM_IN_PROCESS, options.workers()); // warm-up
            inProcess = predictAll(model, decoded, requests, options.workers());
        }
        try (ImageClassifier model = ImageClassifier.load(bundle)) {
            List<Sample> samples = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                samples.add(new Sample(files.get(i % bodies.size()).toAbsolutePath(), 0));
            }
            model.score(samples.subList(0, Math.min(samples.size(), WARM_IN_PROCESS)), (sample, p) -> { });
            long start = System.nanoTime();
            model.score(samples, (sample, p) -> { });
            fromFiles = requests / ((System.nanoTime() - start) / 1e9);
        }
        System.out.printf(Locale.ROOT, "## transfer4j serve under load (%s, %d images of %s)%n%n", bundle.getFileName(),
                bodies.size(), args[1]);
        System.out.printf(Locale.ROOT, "In-process (a) ImageClassifier.predictAll, batches of 16, images decoded beforehand, "
                + "%d thread(s) (as the server's --workers %d): %.1f images/s%n%n", options.workers(), options.workers(),
                inProcess);
        System.out.printf(Locale.ROOT, "In-process (b) ImageClassifier.score on the JPEG files (decoding overlapped, "
                + "batches of 32): %.1f images/s%n%n", fromFiles);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (ModelServer server = ModelServer.start(Map.of("m", bundle), options)) {
            int warmup = Integer.getInteger("serve.warmup", WARM_SERVER);
            send(http, server.port(), bodies, warmup, 16);
            double[] before = batchSizes(http, server.port());
            long start = System.nanoTime();
            Result r = send(http, server.port(), bodies, requests, 16);
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] after = batchSizes(http, server.port());
            System.out.printf(Locale.ROOT, "Warm-up: %d images for each in-process reference, %d requests to the server%n%n",
                    WARM_IN_PROCESS, warmup);
            System.out.printf(Locale.ROOT, "--max-batch %d, --workers %d: %.0f batches of %.1f images on average%n%n",
                    maxBatch, options.workers(),
                    after[1] - before[1], (after[0] - before[0]) / (after[1] - before[1]));
            System.out.printf(Locale.ROOT, "16 clients, %d requests: %.1f images/s (%.2f of (a), %.2f of (b)), p50 %.0f ms, "
                    + "p99 %.0f ms, %d errors%n%n", requests, requests / seconds, requests / seconds / inProcess,
                    requests / seconds / fromFiles,
                    r.percentile(200, 0.5), r.percentile(200, 0.99), requests - r.count(200));
        }
        long rssBefore = rssKb();
        ModelServer.Options small = new ModelServer.Options("127.0.0.1", 0, 16, 5, queue, 20L << 20);
        try (ModelServer server = ModelServer.start(Map.of("m", bundle), small)) {
            int clients = 4 * queue;
            ExecutorService pool = Executors.newFixedThreadPool(1);
            Future<Result> load = pool.submit(() -> send(http, server.port(), bodies, clients * 4, clients));
            Thread.sleep(200);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/v2/health/live")).build(), HttpResponse.BodyHandlers.ofString());
            Result r = load.get();
            pool.shutdown();
            System.out.printf(Locale.ROOT, "%d clients (4 x --queue %d), %d requests: %d answered 200, %d answered 503 "
                    + "(p50 %.0f ms, p99 %.0f ms), %d other; health check during the overload: %d; resident memory "
                    + "%d MiB before, %d MiB after%n", clients, queue, clients * 4, r.count(200), r.count(503),
                    r.percentile(503, 0.5), r.percentile(503, 0.99), clients * 4 - r.count(200) - r.count(503),
                    health.statusCode(), rssBefore / 1024, rssKb() / 1024);
        }
    }

    /** images/s of {@code threads} threads running batches of 16 decoded images through predictAll, n images in all. */
    static double predictAll(ImageClassifier model, List<BufferedImage> decoded, int n, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            running.add(pool.submit(() -> {
                for (int done = next.getAndAdd(16); done < n; done = next.getAndAdd(16)) {
                    List<BufferedImage> batch = new ArrayList<>();
                    for (int i = done; i < Math.min(n, done + 16); i++) {
                        batch.add(decoded.get(i % decoded.size()));
                    }
                    model.predictAll(batch);
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        return n / ((System.nanoTime() - start) / 1e9);
    }

    record Result(List<int[]> statusAndMillis) {
        int count(int status) {
            return (int) statusAndMillis.stream().filter(s -> s[0] == status).count();
        }

        double percentile(int status, double q) {
            List<Integer> ms = new ArrayList<>(statusAndMillis.stream().filter(s -> s[0] == status).map(s -> s[1]).toList());
            if (ms.isEmpty()) {
                return Double.NaN;
            }
            Collections.sort(ms);
            return ms.get((int) Math.min(ms.size() - 1, Math.floor(q * ms.size())));
        }
    }

    static Result send(HttpClient http, int port, List<byte[]> bodies, int requests, int clients) throws Exception {
        ConcurrentLinkedQueue<int[]> results = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    long start = System.nanoTime();
                    int status;
                    try {
                        status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predictions/m"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % bodies.size()))).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (IOException | InterruptedException e) {
                        status = -1;
                    }
                    results.add(new int[] {status, (int) ((System.nanoTime() - start) / 1_000_000)});
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        return new Result(new ArrayList<>(results));
    }

    /** The batch-size histogram's sum and count from GET /metrics. */
    static double[] batchSizes(HttpClient http, int port) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double[] sumCount = new double[2];
        for (String line : text.split("\n")) {
            if (line.startsWith("transfer4j_batch_size_sum")) {
                sumCount[0] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("transfer4j_batch_size_count")) {
                sumCount[1] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sumCount;
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
