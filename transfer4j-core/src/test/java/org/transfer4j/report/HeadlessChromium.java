package org.transfer4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Opens a local HTML file in Debian's headless Chromium and reports what a user would see, through
 * the DevTools protocol (JDK WebSocket client): console errors, uncaught exceptions and browser log
 * errors (blocked or failed loads, CSP violations), each image's natural width, and a screenshot.
 */
final class HeadlessChromium {

    /** What the page did. */
    record PageCheck(List<String> errors, List<Integer> imageWidths, BufferedImage screenshot) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private HeadlessChromium() {
    }

    /** The chromium executable, if installed. */
    static Optional<Path> find() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(Path.of(candidate));
            }
        }
        return Optional.empty();
    }

    /**
     * Loads the page at 1280x4000, waits for the load event (and half a second for late messages),
     * then collects errors, image widths and a full-window PNG screenshot.
     */
    static PageCheck open(Path chromium, Path html, Path profile) throws Exception {
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--window-size=1280,4000", "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URI browserSocket = URI.create(waitForEndpoint(log, browser));
            HttpClient http = HttpClient.newHttpClient();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browserSocket.getAuthority() + "/json/list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            String pageSocket = null;
            for (JsonNode target : JSON.readTree(list)) {
                if (target.path("type").asText().equals("page")) {
                    pageSocket = target.path("webSocketDebuggerUrl").asText();
                }
            }
            if (pageSocket == null) {
                throw new IllegalStateException("chromium shows no page target: " + list);
            }
            try (Session s = new Session(http, URI.create(pageSocket))) {
                s.call("Log.enable", null);
                s.call("Runtime.enable", null);
                s.call("Page.enable", null);
                ObjectNode metrics = JSON.createObjectNode().put("width", 1280).put("height", 4000)
                        .put("deviceScaleFactor", 1).put("mobile", false);
                s.call("Emulation.setDeviceMetricsOverride", metrics);
                s.call("Page.navigate", JSON.createObjectNode().put("url", html.toUri().toString()));
                s.awaitEvent("Page.loadEventFired", 60);
                Thread.sleep(500);
                JsonNode widths = s.call("Runtime.evaluate", JSON.createObjectNode().put("returnByValue", true)
                        .put("expression", "Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)"));
                List<Integer> imageWidths = new ArrayList<>();
                widths.path("result").path("value").forEach(w -> imageWidths.add(w.asInt()));
                JsonNode shot = s.call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
                BufferedImage screenshot = ImageIO.read(new ByteArrayInputStream(
                        Base64.getDecoder().decode(shot.path("data").asText())));
                return new PageCheck(s.errors(), imageWidths, screenshot);
            }
        } finally {
            browser.destroy();
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
        }
    }

    private static String waitForEndpoint(Path log, Process browser) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return m.group(1);
            }
            if (!browser.isAlive()) {
                throw new IllegalStateException("chromium exited with " + browser.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromium did not open its DevTools port in 60 s:\n" + Files.readString(log));
    }

    /** One DevTools connection: numbered calls, their replies, and the events seen on the way. */
    private static final class Session implements WebSocket.Listener, AutoCloseable {
        private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final List<JsonNode> events = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;
        private int nextId = 1;

        Session(HttpClient http, URI uri) {
            this.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20)).buildAsync(uri, this).join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException("bad DevTools message: " + partial, e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        JsonNode call(String method, JsonNode params) throws InterruptedException {
            int id = nextId++;
            ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
            if (params != null) {
                msg.set("params", params);
            }
            socket.sendText(msg.toString(), true).join();
            while (true) {
                JsonNode m = next(30, method);
                if (m.path("id").asInt(-1) == id) {
                    if (m.has("error")) {
                        throw new IllegalStateException(method + " failed: " + m.get("error"));
                    }
                    return m.path("result");
                }
            }
        }

        void awaitEvent(String method, int seconds) throws InterruptedException {
            for (JsonNode e : events) {
                if (e.path("method").asText().equals(method)) {
                    return;
                }
            }
            while (!next(seconds, method).path("method").asText().equals(method)) {
                // keep collecting
            }
        }

        private JsonNode next(int seconds, String waitingFor) throws InterruptedException {
            JsonNode m = messages.poll(seconds, TimeUnit.SECONDS);
            if (m == null) {
                throw new IllegalStateException("no answer to " + waitingFor + " from chromium in " + seconds + " s");
            }
            if (m.has("method")) {
                events.add(m);
            }
            return m;
        }

        /** Console errors, uncaught exceptions and browser log errors seen so far. */
        List<String> errors() {
            messages.forEach(m -> {
                if (m.has("method")) {
                    events.add(m);
                }
            });
            List<String> errors = new ArrayList<>();
            for (JsonNode e : events) {
                JsonNode p = e.path("params");
                switch (e.path("method").asText()) {
                    case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails"));
                    case "Runtime.consoleAPICalled" -> {
                        if (p.path("type").asText().equals("error") || p.path("type").asText().equals("assert")) {
                            errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
                        }
                    }
                    case "Log.entryAdded" -> {
                        if (p.path("entry").path("level").asText().equals("error")) {
                            errors.add("log: " + p.path("entry").path("text").asText() + " "
                                    + p.path("entry").path("url").asText(""));
                        }
                    }
                    default -> { }
                }
            }
            return errors;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(t -> null);
        }
    }
}
