package org.transfer4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.transfer4j.serve.ModelServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transfer4j serve}: trained models over HTTP until stopped (SIGTERM drains the queued requests). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve trained models over HTTP: Open Inference Protocol (/v2/...), /predictions/NAME, /metrics.")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR",
            description = "Model folders written by 'train'; the model's name is the folder's name, or NAME=DIR.")
    List<String> bundles;

    @picocli.CommandLine.Mixin
    BundlePrecision precision;

    @Option(names = "--host", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", description = "TCP port (0: any free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--max-batch", description = "Most images per batch. Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Option(names = "--max-delay-ms", description = "Longest wait for more images after the first of a batch. "
            + "Default: ${DEFAULT-VALUE}.")
    long maxDelayMs;

    @Option(names = "--queue", description = "Most images waiting per model; more get 503 with Retry-After. "
            + "Default: ${DEFAULT-VALUE}.")
    int queue;

    @Option(names = "--max-bytes", description = "Largest image body in bytes; larger ones get 413. Default: ${DEFAULT-VALUE}.")
    long maxBytes;

    @Option(names = "--workers", description = "Batches of a model run at once, each on an equal share of the "
            + "cores (Triton's instances, TorchServe's workers); 1 runs one batch at a time on all cores. "
            + "Default: ${DEFAULT-VALUE}.")
    int workers;

    @picocli.CommandLine.Mixin
    DeviceOption device;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Path> models = new LinkedHashMap<>();
        for (String b : bundles) {
            int eq = b.indexOf('=');
            Path dir = Path.of(eq > 0 ? b.substring(eq + 1) : b);
            String name = eq > 0 ? b.substring(0, eq) : dir.toAbsolutePath().normalize().getFileName().toString();
            if (models.put(name, dir) != null) {
                throw Usage.error(spec, "two models are named '" + name + "': name them with NAME=DIR");
            }
        }
        models.values().forEach(dir -> Usage.check(spec, () -> precision.check(dir)));
        ModelServer.Options options = Usage.map(spec, () -> {
            if (maxBatch < 1 || queue < 1 || maxDelayMs < 0 || maxBytes < 1 || port < 0 || port > 65535 || workers < 1) {
                throw new IllegalArgumentException("--max-batch, --queue, --max-bytes and --workers must be at least 1, "
                        + "--max-delay-ms 0 or more, --port 0..65535");
            }
            return new ModelServer.Options(host, port, maxBatch, maxDelayMs, queue, maxBytes, workers);
        });
        ModelServer server = ModelServer.start(models, options, device.resolve(false));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "transfer4j-serve-shutdown"));
        System.err.printf("serving %s on http://%s:%d/ (Ctrl-C or SIGTERM to stop)%n", String.join(", ",
                server.modelNames()), host, server.port());
        stopped.await();
        return 0;
    }
}
