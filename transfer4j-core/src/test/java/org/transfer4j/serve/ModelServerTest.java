package org.transfer4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.Transfer;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Prediction;

/**
 * The server's protocols with real requests on a loopback port, serving a model trained here on 8
 * images per class of hymenoptera (train/ and val/, 2 epochs): status codes, JSON shapes, the same
 * probabilities as {@link ImageClassifier#predict} (within 1e-5), the errors, and a loop of 200 hostile
 * requests after which the server still answers correctly.
 */
@Tag("shared")
class ModelServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 400_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dir;
    private static ModelServer server;
    private static ImageClassifier reference;
    private static List<Path> images;

    @BeforeAll
    static void trainAndServe() throws IOException {
        Path data = dir.resolve("data");
        images = new ArrayList<>();
        for (String split : List.of("train", "val")) {
            for (String cls : List.of("ants", "bees")) {
                Path to = Files.createDirectories(data.resolve(split).resolve(cls));
                try (Stream<Path> files = Files.list(SharedData.dataset("hymenoptera").resolve(split).resolve(cls))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(8).toList()) {
                        Files.copy(f, to.resolve(f.getFileName()));
                        if (split.equals("val")) {
                            images.add(to.resolve(f.getFileName()));
                        }
                    }
                }
            }
        }
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (ImageClassifier model = Transfer.from(data).weightsDir(SharedData.pretrained())
                .cacheDir(SharedData.featureCache()).epochs(2).progress(false).log(quiet).train()) {
            model.save(dir.resolve("insects"));
        }
        reference = ImageClassifier.load(dir.resolve("insects"));
        server = ModelServer.start(Map.of("insects", dir.resolve("insects")),
                new ModelServer.Options("127.0.0.1", 0, 4, 5, 64, MAX_BYTES));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, byte[] body, String type) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Declares a body of {@code length} bytes and sends none of it: the answer must come before the body
     * is read. (A raw socket: Java 17's HttpClient hangs on a final answer to {@code Expect: 100-continue}.)
     */
    private static String declareOversizedBody(String path, long length) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n"
                    + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertRefusedAsTooLarge(String path) throws IOException {
        String answer = declareOversizedBody(path, 50L << 20);
        assertThat(answer).startsWith("HTTP/1.1 413").contains("{\"error\":");
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static String inferBody(String datatype, String extra, Path... files) throws IOException {
        List<String> data = new ArrayList<>();
        for (Path f : files) {
            data.add("\"" + Base64.getEncoder().encodeToString(Files.readAllBytes(f)) + "\"");
        }
        return "{\"id\": \"r1\", \"inputs\": [{\"name\": \"image\", \"shape\": [" + files.length + "], \"datatype\": \""
                + datatype + "\", \"data\": [" + String.join(",", data) + "]}]" + extra + "}";
    }

    private static double[] expected(Path image) throws IOException {
        Prediction p = reference.predict(image);
        double[] v = new double[2];
        p.top().forEach(s -> v[s.index()] = s.probability());
        return v;
    }

    private static void assertError(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.get("error").asText()).isNotBlank();
    }

    @Test
    void healthAndMetadataFollowTheOpenInferenceProtocol() throws Exception {
        assertThat(JSON.readTree(get("/v2/health/live").body()).get("live").asBoolean()).isTrue();
        HttpResponse<String> ready = get("/v2/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("ready").asBoolean()).isTrue();
        HttpResponse<String> meta = get("/v2/models/insects");
        assertThat(meta.statusCode()).isEqualTo(200);
        JsonNode m = JSON.readTree(meta.body());
        assertThat(m.get("name").asText()).isEqualTo("insects");
        assertThat(m.get("inputs").get(0).get("datatype").asText()).isEqualTo("BYTES");
        assertThat(m.get("outputs").get(0).get("name").asText()).isEqualTo("probabilities");
        assertThat(m.get("outputs").get(0).get("shape").toString()).isEqualTo("[-1,2]");
        assertThat(m.get("classes").toString()).isEqualTo("[\"ants\",\"bees\"]");
        assertThat(JSON.readTree(get("/v2/models/insects/ready").body()).get("ready").asBoolean()).isTrue();
        assertError(get("/v2/models/wasps"), 404);
        assertError(get("/v2/models/wasps/ready"), 404);
        assertError(get("/no/such/endpoint"), 404);
    }

    @Test
    void inferAndPredictionsGiveThePredictProbabilities() throws Exception {
        Path ant = images.get(0);
        Path bee = images.get(images.size() - 1);
        HttpResponse<String> r = post("/v2/models/insects/infer", inferBody("BYTES", "", ant, bee)
                .getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("model_name").asText()).isEqualTo("insects");
        assertThat(body.get("id").asText()).isEqualTo("r1");
        JsonNode probabilities = body.get("outputs").get(0);
        assertThat(probabilities.get("datatype").asText()).isEqualTo("FP32");
        assertThat(probabilities.get("shape").toString()).isEqualTo("[2,2]");
        double[] want = concat(expected(ant), expected(bee));
        for (int i = 0; i < 4; i++) {
            assertThat(probabilities.get("data").get(i).asDouble()).isCloseTo(want[i], within(1e-5));
        }
        assertThat(body.get("outputs").get(1).get("name").asText()).isEqualTo("unknown");
        assertThat(body.get("outputs").get(1).get("datatype").asText()).isEqualTo("BOOL");

        HttpResponse<String> classified = post("/v2/models/insects/infer", inferBody("BYTES",
                ", \"parameters\": {\"classification\": 1}", bee).getBytes(StandardCharsets.UTF_8), "application/json");
        JsonNode top = JSON.readTree(classified.body()).get("outputs").get(0);
        assertThat(top.get("datatype").asText()).isEqualTo("BYTES");
        String[] parts = top.get("data").get(0).asText().split(":");
        int index = Integer.parseInt(parts[1]);
        assertThat(Double.parseDouble(parts[0])).isCloseTo(expected(bee)[index], within(1e-5));
        assertThat(parts[2]).isEqualTo(List.of("ants", "bees").get(index));

        HttpResponse<String> raw = post("/predictions/insects", Files.readAllBytes(bee), "image/jpeg");
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
        JsonNode p = JSON.readTree(raw.body());
        Prediction local = reference.predict(bee);
        assertThat(p.get("class").asText()).isEqualTo(local.label());
        assertThat(p.get("label").asText()).isEqualTo(local.isUnknown() ? "unknown" : local.label());
        assertThat(p.get("unknown").asBoolean()).isEqualTo(local.isUnknown());
        assertThat(p.get("unknown_score").asDouble()).isCloseTo(local.verdict().score(), within(1e-5));
        for (JsonNode s : p.get("top")) {
            assertThat(s.get("probability").asDouble()).isCloseTo(expected(bee)[s.get("index").asInt()], within(1e-5));
        }
        String boundary = "t4j-boundary";
        java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
        form.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"bee.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        form.write(Files.readAllBytes(bee));
        form.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> multipart = post("/predictions/insects", form.toByteArray(),
                "multipart/form-data; boundary=" + boundary);
        assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(200);
        assertThat(JSON.readTree(multipart.body()).get("top").get(0).get("probability").asDouble())
                .isCloseTo(local.probability(), within(1e-5));
        assertError(post("/predictions/insects", ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"x\""
                + "\r\n\r\nhello\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII),
                "multipart/form-data; boundary=" + boundary), 400);
        try (var in = Files.newInputStream(bee)) {
            assertThat(reference.predict(in).probability()).isCloseTo(local.probability(), within(1e-6));
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void badRequestsGetTheirStatusAndAnErrorBody() throws Exception {
        byte[] jpeg = Files.readAllBytes(images.get(0));
        assertError(post("/v2/models/insects/infer", "{not json".getBytes(StandardCharsets.UTF_8), "application/json"), 400);
        assertError(post("/v2/models/insects/infer", "[1, 2]".getBytes(StandardCharsets.UTF_8), "application/json"), 400);
        assertError(post("/v2/models/insects/infer", "{\"inputs\": []}".getBytes(StandardCharsets.UTF_8),
                "application/json"), 400);
        assertError(post("/v2/models/insects/infer", inferBody("FP32", "", images.get(0))
                .getBytes(StandardCharsets.UTF_8), "application/json"), 400);
        assertError(post("/v2/models/insects/infer", ("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"BYTES\", "
                + "\"shape\": [1], \"data\": [\"%%%not base64\"]}]}").getBytes(StandardCharsets.UTF_8), "application/json"), 400);
        assertError(post("/v2/models/insects/infer", ("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"BYTES\", "
                + "\"shape\": [1], \"data\": [\"aGVsbG8=\"]}]}").getBytes(StandardCharsets.UTF_8), "application/json"), 400);
        assertError(post("/v2/models/wasps/infer", inferBody("BYTES", "", images.get(0))
                .getBytes(StandardCharsets.UTF_8), "application/json"), 404);
        assertError(post("/predictions/insects", new byte[0], "image/jpeg"), 400);
        assertError(post("/predictions/insects", "hello".getBytes(StandardCharsets.UTF_8), "image/jpeg"), 415);
        assertError(post("/predictions/insects", Arrays.copyOf(jpeg, jpeg.length / 3), "image/jpeg"), 415);
        assertRefusedAsTooLarge("/predictions/insects");
        assertRefusedAsTooLarge("/v2/models/insects/infer");
        assertError(post("/predictions/wasps", jpeg, "image/jpeg"), 404);
        assertError(post("/predictions/insects?top=zero", jpeg, "image/jpeg"), 400);
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("transfer4j_requests_total{status=\"400\"}")
                .contains("transfer4j_requests_total{status=\"415\"}")
                .contains("transfer4j_request_duration_seconds_bucket{le=\"+Inf\"}")
                .contains("transfer4j_batch_size_count").contains("transfer4j_queue_depth{model=\"insects\"}")
                .contains("transfer4j_model_load_seconds{model=\"insects\"}");
    }

    @Test
    void twoHundredHostileRequestsLeaveTheServerAnsweringCorrectly() throws Exception {
        byte[] jpeg = Files.readAllBytes(images.get(1));
        byte[] png = new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 8, 2, 0, 0, 0};
        List<byte[]> bodies = List.of(new byte[0], "hello".getBytes(StandardCharsets.UTF_8),
                Arrays.copyOf(jpeg, jpeg.length / 2), png, "{\"inputs\": 3}".getBytes(StandardCharsets.UTF_8));
        int[] statuses = {400, 415, 415, 415, 415};
        for (int i = 0; i < 200; i++) {
            int kind = i % (bodies.size() + 3);
            if (kind == bodies.size() + 2) {
                assertRefusedAsTooLarge("/predictions/insects");
            } else if (kind < bodies.size()) {
                assertError(post("/predictions/insects", bodies.get(kind), "image/jpeg"), statuses[kind]);
            } else if (kind == bodies.size()) {
                assertError(post("/v2/models/insects/infer", bodies.get(i % 4), "application/json"), 400);
            } else {
                assertError(post("/predictions/nothing-" + i, jpeg, "image/jpeg"), 404);
            }
        }
        assertThat(JSON.readTree(get("/v2/health/live").body()).get("live").asBoolean()).isTrue();
        HttpResponse<String> raw = post("/predictions/insects", jpeg, "image/jpeg");
        assertThat(raw.statusCode()).isEqualTo(200);
        for (JsonNode s : JSON.readTree(raw.body()).get("top")) {
            assertThat(s.get("probability").asDouble()).isCloseTo(expected(images.get(1))[s.get("index").asInt()],
                    within(1e-5));
        }
    }

    @Test
    void theWebPageComesFromTheJarWithNoExternalResources() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<input id=\"file\" type=\"file\"").contains("/predictions/")
                .contains("Model card").doesNotContain("http://").doesNotContain("https://");
        JsonNode models = JSON.readTree(get("/models").body()).get("models");
        assertThat(models).hasSize(1);
        assertThat(models.get(0).get("modelName").asText()).isEqualTo("insects");
        assertThat(JSON.readTree(get("/v2/models/insects").body()).get("parameters").get("created").asText())
                .isNotBlank();
    }

    @Test
    void explainAnswersTheGradCamOverlayAsPng() throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(uri("/explain/insects"))
                .POST(HttpRequest.BodyPublishers.ofFile(images.get(0))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("image/png");
        var overlay = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(r.body()));
        assertThat(overlay.getWidth()).isEqualTo(reference.preprocessing().crop());
        assertError(post("/explain/insects?class=wasps", Files.readAllBytes(images.get(0)), "image/jpeg"), 400);
        assertError(post("/explain/wasps", Files.readAllBytes(images.get(0)), "image/jpeg"), 404);
    }

    @Test
    void chromiumRendersTheModelListAndCard() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(chromium), "chromium is not installed");
        Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("chromium-profile"), "--virtual-time-budget=5000", "--dump-dom",
                uri("/").toString()).redirectError(dir.resolve("chromium.log").toFile()).start();
        byte[] dom = browser.getInputStream().readAllBytes();
        assertThat(browser.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String html = new String(dom, StandardCharsets.UTF_8);
        assertThat(html).contains("<option value=\"insects\">insects</option>").contains("<dd>ants, bees</dd>");
    }

    @Test
    void closingAnswersTheRequestsInFlight() throws Exception {
        byte[] jpeg = Files.readAllBytes(images.get(2));
        ModelServer second = ModelServer.start(Map.of("insects", dir.resolve("insects")),
                new ModelServer.Options("127.0.0.1", 0, 4, 5, 64, MAX_BYTES));
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port()
                    + "/predictions/insects")).POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        while (second.metricsText().contains("transfer4j_batch_size_count 0")) {
            Thread.sleep(5); // until the first batch runs: requests are in flight
        }
        second.close();
        int answered = 0;
        for (var f : sent) {
            HttpResponse<String> r;
            try {
                r = f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                continue; // arrived after the server stopped listening
            }
            assertThat(r.statusCode()).as(r.body()).isIn(200, 503);
            if (r.statusCode() == 200) {
                answered++;
                assertThat(JSON.readTree(r.body()).get("top")).hasSize(2);
            }
        }
        assertThat(answered).isPositive();
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        try (ImageClassifier model = ImageClassifier.load(dir.resolve("insects"));
             BatchingQueue queue = new BatchingQueue(model, 1, 0, 1, n -> { })) {
            var image = org.transfer4j.data.ImageDecoder.decodeRgb(images.get(0));
            int refused = 0;
            List<java.util.concurrent.CompletableFuture<Prediction>> accepted = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                var f = queue.submit(image);
                if (f == null) {
                    refused++;
                } else {
                    accepted.add(f);
                }
            }
            assertThat(refused).isPositive();
            for (var f : accepted) {
                assertThat(f.get().top()).hasSize(2);
            }
        }
    }

    @Test
    void twoWorkersRunTwoBatchesAtOnceWithTheSameAnswers() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.atomic.AtomicInteger together = new java.util.concurrent.atomic.AtomicInteger();
        // each batch waits, inside its worker, until two batches have started: one worker alone never gets there
        java.util.function.IntConsumer meet = n -> {
            started.countDown();
            try {
                if (started.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    together.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (ImageClassifier model = ImageClassifier.load(dir.resolve("insects"), org.transfer4j.exec.Device.cpu(), 1);
             BatchingQueue queue = new BatchingQueue(model, 1, 0, 8, 2, meet)) {
            var first = queue.submit(org.transfer4j.data.ImageDecoder.decodeRgb(images.get(0)));
            var second = queue.submit(org.transfer4j.data.ImageDecoder.decodeRgb(images.get(9)));
            List<Prediction> answers = List.of(first.get(), second.get());
            assertThat(together.get()).isEqualTo(2);
            for (int i = 0; i < 2; i++) {
                Prediction expected = reference.predict(images.get(i == 0 ? 0 : 9));
                assertThat(answers.get(i).label()).isEqualTo(expected.label());
                assertThat(answers.get(i).probability()).isCloseTo(expected.probability(), within(1e-5));
            }
        }
    }
}
