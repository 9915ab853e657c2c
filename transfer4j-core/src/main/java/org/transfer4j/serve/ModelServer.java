package org.transfer4j.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.model.Prediction;
import org.transfer4j.report.GradCam;
import org.transfer4j.report.Heatmap;

/**
 * Serves trained bundles over HTTP (Javalin on Jetty): the Open Inference Protocol's health, metadata
 * and {@code /infer} endpoints, {@code POST /predictions/{name}} with the raw image as the body, and
 * {@code GET /metrics}. Each model has its own {@link BatchingQueue}; request threads read and decode
 * the images, the queue runs them in batches. Every error is answered with {@code {"error": "..."}}.
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.start(Map.of("pets", Path.of("runs/pets")), ModelServer.Options.defaults())) {
 *     System.out.println("listening on " + server.port());
 * }
 * }</pre>
 */
public final class ModelServer implements AutoCloseable {

    /**
     * Server settings.
     *
     * @param host address to listen on
     * @param port TCP port; 0 for any free one
     * @param maxBatch most images per batch
     * @param maxDelayMs longest wait for more images after the first of a batch
     * @param queue most images waiting per model; more are answered 503 with Retry-After
     * @param maxBytes largest image body; larger ones are answered 413 before they are read whole
     * @param workers batches of a model run at once, each on an equal share of the cores (ONNX Runtime
     *     intra-op threads); 1 runs one batch at a time on all of them
     */
    public record Options(String host, int port, int maxBatch, long maxDelayMs, int queue, long maxBytes, int workers) {

        /** Settings with one worker. */
        public Options(String host, int port, int maxBatch, long maxDelayMs, int queue, long maxBytes) {
            this(host, port, maxBatch, maxDelayMs, queue, maxBytes, 1);
        }

        /** 127.0.0.1:8080, batches of 16 within 5 ms, 256 waiting, 20 MB bodies, one worker. */
        public static Options defaults() {
            return new Options("127.0.0.1", 8080, 16, 5, 256, 20L << 20, 1);
        }

        /** The same settings on another port. */
        public Options withPort(int newPort) {
            return new Options(host, newPort, maxBatch, maxDelayMs, queue, maxBytes, workers);
        }

        /** The same settings with another number of workers. */
        public Options withWorkers(int newWorkers) {
            return new Options(host, port, maxBatch, maxDelayMs, queue, maxBytes, newWorkers);
        }

        /**
         * ONNX Runtime intra-op threads per batch: 0 (its default, every core) for one worker, else the
         * available processors shared out, at least 1 each.
         */
        public int threadsPerWorker() {
            return workers <= 1 ? 0 : Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        }
    }

    private record Served(ImageClassifier model, BatchingQueue queue, GradCam cam) {
    }

    private static final ObjectMapper JSON = ModelBundle.json().copy().disable(SerializationFeature.INDENT_OUTPUT);
    private static final String ANSWERED = "transfer4j.answered";
    /** The web page at {@code /}, from the jar: no external resources. */
    private static final byte[] PAGE = page();

    private final Map<String, Served> models = new LinkedHashMap<>();
    private final ServerMetrics metrics = new ServerMetrics();
    private final Options options;
    private final Javalin app;
    private volatile boolean draining;
    /** Requests inside a model endpoint now: close() waits for them to be answered. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    private ModelServer(Map<String, Path> bundles, Options options, org.transfer4j.exec.Device device) {
        this.options = options;
        try {
            for (Map.Entry<String, Path> b : bundles.entrySet()) {
                long start = System.nanoTime();
                ImageClassifier model = ImageClassifier.load(b.getValue(), device, options.threadsPerWorker());
                BatchingQueue queue = new BatchingQueue(model, options.maxBatch(), options.maxDelayMs(), options.queue(),
                        options.workers(), metrics::batch);
                GradCam cam;
                try {
                    cam = GradCam.forBundle(b.getValue(), model);
                } catch (IllegalArgumentException e) {
                    cam = null; // a backbone without a pooled feature map: no Grad-CAM
                }
                models.put(b.getKey(), new Served(model, queue, cam));
                metrics.model(b.getKey(), (System.nanoTime() - start) / 1e9, queue::depth);
            }
        } catch (RuntimeException e) {
            closeModels();
            throw e;
        }
        this.app = Javalin.create(config -> {
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = options.maxBytes() * 2;
            config.requestLogger.http((ctx, ms) -> metrics.request(ctx.statusCode(), ms / 1000.0));
            config.routes.get("/v2/health/live", ctx -> answer(ctx, Map.of("live", true)));
            config.routes.get("/v2/health/ready", ctx -> answer(ctx.status(draining ? 503 : 200),
                    Map.of("ready", !draining)));
            config.routes.get("/v2", ctx -> answer(ctx, Map.of("name", "transfer4j", "extensions",
                    List.of("classification"))));
            config.routes.get("/v2/models/{name}", ctx -> answer(ctx,
                    InferenceJson.metadata(ctx.pathParam("name"), served(ctx).model())));
            config.routes.get("/v2/models/{name}/ready", ctx -> {
                served(ctx);
                answer(ctx.status(draining ? 503 : 200), Map.of("name", ctx.pathParam("name"), "ready", !draining));
            });
            config.routes.post("/v2/models/{name}/infer", ctx -> counted(ctx, this::infer));
            config.routes.post("/predictions/{name}", ctx -> counted(ctx, this::predictions));
            config.routes.get("/", ctx -> {
                ctx.attribute(ANSWERED, true);
                ctx.contentType("text/html; charset=utf-8").result(PAGE);
            });
            config.routes.get("/models", ctx -> answer(ctx, Map.of("models", models.keySet().stream()
                    .map(name -> Map.of("modelName", name, "status", draining ? "draining" : "ready")).toList())));
            config.routes.post("/explain/{name}", ctx -> counted(ctx, this::explain));
            config.routes.get("/metrics", ctx -> {
                ctx.attribute(ANSWERED, true);
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.text());
            });
            config.routes.exception(HttpError.class, (e, ctx) -> {
                if (e.retryAfter() != null) {
                    ctx.header("Retry-After", e.retryAfter());
                }
                error(ctx, e.status(), e.getMessage());
            });
            config.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + e));
            for (int status : new int[] {400, 404, 405, 413, 415, 500, 503}) {
                config.routes.error(status, ctx -> {
                    if (ctx.attribute(ANSWERED) == null) {
                        error(ctx, status, status == 404 ? "no such endpoint: " + ctx.method() + " " + ctx.path()
                                : "request failed with status " + status);
                    }
                });
            }
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            closeModels();
            throw e;
        }
    }

    /**
     * Loads the bundles and starts listening.
     *
     * @param bundles model name to bundle folder, in the order listed
     * @throws org.transfer4j.model.ModelException when a bundle cannot be loaded
     */
    public static ModelServer start(Map<String, Path> bundles, Options options) {
        return start(bundles, options, org.transfer4j.exec.Device.cpu());
    }

    /**
     * {@link #start(Map, Options)} with the models on a device.
     *
     * @param device {@code cpu} or {@code cuda:N}, resolved ({@link org.transfer4j.exec.Device#resolve})
     */
    public static ModelServer start(Map<String, Path> bundles, Options options, org.transfer4j.exec.Device device) {
        if (bundles.isEmpty()) {
            throw new IllegalArgumentException("serve needs at least one model folder");
        }
        return new ModelServer(bundles, options, device);
    }

    /** The port listened on (the one chosen when the options asked for 0). */
    public int port() {
        return app.port();
    }

    /** The names of the models served. */
    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    private void counted(Context ctx, io.javalin.http.Handler handler) throws Exception {
        inFlight.incrementAndGet();
        try {
            handler.handle(ctx);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Served served(Context ctx) {
        String name = ctx.pathParam("name");
        Served s = models.get(name);
        if (s == null) {
            throw new HttpError(404, "no model '" + name + "'; this server has " + String.join(", ", models.keySet()));
        }
        return s;
    }

    private void infer(Context ctx) throws IOException {
        // the body is read (within the limit) before any other check, so that a client still sending it
        // gets the answer instead of a closed connection
        byte[] body = RequestBodies.body(ctx, options.maxBytes() * 4 / 3 + 65_536);
        Served s = served(ctx);
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "malformed JSON: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject()) {
            throw new HttpError(400, "the body must be a JSON object with \"inputs\"");
        }
        int classes = s.model().classes().size();
        int k = InferenceJson.classification(request, classes);
        List<byte[]> encoded = InferenceJson.images(request);
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i++) {
            if (encoded.get(i).length > options.maxBytes()) {
                throw new HttpError(413, "image " + i + " has " + encoded.get(i).length + " bytes, more than --max-bytes "
                        + options.maxBytes());
            }
            images.add(RequestBodies.decode(encoded.get(i), "image " + i, 400));
        }
        List<Prediction> predictions = new ArrayList<>();
        for (CompletableFuture<Prediction> f : enqueue(s, images)) {
            predictions.add(await(f));
        }
        answer(ctx, InferenceJson.response(ctx.pathParam("name"), request, predictions, classes, k));
    }

    private void predictions(Context ctx) throws IOException {
        String type = ctx.contentType();
        byte[] body = type != null && type.startsWith("multipart/form-data") ? RequestBodies.multipartData(ctx, options.maxBytes())
                : RequestBodies.body(ctx, options.maxBytes());
        Served s = served(ctx);
        int k = s.model().classes().size();
        String top = ctx.queryParam("top");
        if (top != null) {
            try {
                k = Integer.parseInt(top);
            } catch (NumberFormatException e) {
                k = 0;
            }
            if (k < 1) {
                throw new HttpError(400, "top must be a whole number of classes, at least 1, got '" + top + "'");
            }
        }
        BufferedImage image = RequestBodies.decode(body, "the body", 415);
        Prediction p = await(enqueue(s, List.of(image)).get(0));
        answer(ctx, InferenceJson.prediction(p, k));
    }

    /** {@code POST /explain/{name}}: the Grad-CAM overlay (PNG) of the predicted class, or {@code ?class=}. */
    private void explain(Context ctx) throws IOException {
        byte[] body = RequestBodies.body(ctx, options.maxBytes());
        Served s = served(ctx);
        if (s.cam() == null) {
            throw new HttpError(404, "no Grad-CAM for model '" + ctx.pathParam("name") + "': its backbone's features "
                    + "are not a global average pool");
        }
        BufferedImage image = RequestBodies.decode(body, "the body", 415);
        float[] pixels = s.model().preprocessing().apply(image);
        String named = ctx.queryParam("class");
        int target = named == null ? await(enqueue(s, List.of(image)).get(0)).index() : s.model().classes().indexOf(named);
        if (target < 0) {
            throw new HttpError(400, "class '" + named + "' is not a class of this model; it knows "
                    + String.join(", ", s.model().classes()));
        }
        Heatmap map = s.cam().explain(pixels, new int[] {target}).get(0);
        BufferedImage seen = GradCam.inputImage(pixels, s.model().preprocessing());
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(map.overlay(seen), "png", png);
        ctx.attribute(ANSWERED, true);
        ctx.contentType("image/png").result(png.toByteArray());
    }

    /** Queues all images or none: a queue without room for all of them answers 503. */
    private List<CompletableFuture<Prediction>> enqueue(Served s, List<BufferedImage> images) {
        if (draining) {
            throw new HttpError(503, "the server is shutting down", "1");
        }
        List<CompletableFuture<Prediction>> futures = new ArrayList<>();
        for (BufferedImage image : images) {
            CompletableFuture<Prediction> f = s.queue().submit(image);
            if (f == null) {
                throw new HttpError(503, "the queue is full (" + options.queue() + " images waiting); retry shortly", "1");
            }
            futures.add(f);
        }
        return futures;
    }

    private static Prediction await(CompletableFuture<Prediction> f) {
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "interrupted while waiting for the model", "1");
        } catch (TimeoutException e) {
            throw new HttpError(503, "the model took more than 120 s", "5");
        } catch (ExecutionException e) {
            throw new HttpError(500, "the model failed: " + e.getCause());
        }
    }

    private static void answer(Context ctx, Object body) throws JsonProcessingException {
        ctx.attribute(ANSWERED, true);
        ctx.contentType("application/json").result(JSON.writeValueAsString(body));
    }

    private static void error(Context ctx, int status, String message) {
        ctx.attribute(ANSWERED, true);
        ctx.status(status).contentType("application/json");
        try {
            ctx.result(JSON.writeValueAsString(Map.of("error", message == null ? "error" : message)));
        } catch (JsonProcessingException e) {
            ctx.result("{\"error\": \"error\"}");
        }
    }

    private static byte[] page() {
        try (InputStream in = ModelServer.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("index.html is missing from the transfer4j jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The Prometheus text of {@code /metrics}, for tests. */
    String metricsText() {
        return metrics.text();
    }

    /**
     * Stops accepting requests, answers those queued, then stops the server and closes the models.
     */
    @Override
    public void close() {
        draining = true;
        models.values().forEach(s -> s.queue().close());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
        closeModels();
    }

    private void closeModels() {
        models.values().forEach(s -> {
            s.queue().close();
            if (s.cam() != null) {
                s.cam().close();
            }
            s.model().close();
        });
    }
}
