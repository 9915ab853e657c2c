package org.transfer4j.exec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Runs an ONNX model on ONNX Runtime: the fast executor for frozen backbones, exported classifiers
 * and prediction. Inputs are NCHW float batches; outputs come back as one flat row per image.
 */
public final class OrtRunner implements AutoCloseable {

    /** Sessions open now, over every runner of the JVM. */
    private static final AtomicInteger OPEN_SESSIONS = new AtomicInteger();

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final int threads;
    private final Device device;
    private Supplier<byte[]> pending;
    private OrtSession session;
    private String inputName;
    private List<String> outputNames;

    /**
     * @param model bytes of an ONNX model with one input
     * @param threads intra-op threads; 0 lets ONNX Runtime choose (one per core)
     * @throws IllegalStateException when ONNX Runtime cannot load the model
     */
    public OrtRunner(byte[] model, int threads) {
        this(model, threads, Device.cpu());
    }

    /**
     * A runner on a device.
     *
     * @param device {@code cpu} or {@code cuda:N}, resolved ({@link Device#resolve})
     * @throws IllegalStateException when ONNX Runtime cannot load the model there
     */
    public OrtRunner(byte[] model, int threads, Device device) {
        this.threads = threads;
        this.device = device;
        open(model);
    }

    private OrtRunner(Supplier<byte[]> model, int threads, Device device) {
        this.threads = threads;
        this.device = device;
        this.pending = model;
    }

    /**
     * A runner that makes the model and its session only when first used: a run whose features all
     * come from the cache pays for neither.
     */
    public static OrtRunner lazy(Supplier<byte[]> model, int threads) {
        return new OrtRunner(model, threads, Device.cpu());
    }

    /** {@link #lazy(Supplier, int)} on a resolved device. */
    public static OrtRunner lazy(Supplier<byte[]> model, int threads, Device device) {
        return new OrtRunner(model, threads, device);
    }

    /**
     * Loads a model as {@link #OrtRunner(byte[], int)} does and returns the model as ONNX Runtime's
     * optimizer left it (fused int8 kernels and all), for inspection with {@link OnnxOpTypes}.
     */
    public static byte[] optimized(byte[] model, int threads) {
        try {
            Path file = Files.createTempFile("transfer4j-optimized", ".onnx");
            try {
                OrtRunner runner = new OrtRunner(model, threads, file);
                runner.close();
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OrtRunner(byte[] model, int threads, Path optimizedFile) {
        this.threads = threads;
        this.device = Device.cpu();
        open(model, optimizedFile);
    }

    private void open(byte[] model) {
        open(model, null);
    }

    private void open(byte[] model, Path optimizedFile) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (optimizedFile != null) {
                options.setOptimizedModelFilePath(optimizedFile.toString());
            }
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            options.setInterOpNumThreads(1);
            // idle intra-op threads sleep rather than spin: decoding threads and a server's request
            // threads share the cores (bench/serve_load.sh: 83.6 -> 93.3 images/s served, in-process unchanged)
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            device.configure(options);
            session = env.createSession(model, options);
            OPEN_SESSIONS.incrementAndGet();
            inputName = session.getInputNames().iterator().next();
            outputNames = new ArrayList<>(session.getOutputNames());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load the model: " + e.getMessage(), e);
        }
    }

    private synchronized OrtSession session() {
        if (session == null) {
            if (pending == null) {
                throw new IllegalStateException("this ONNX Runtime session is closed");
            }
            open(pending.get());
            pending = null;
        }
        return session;
    }

    /** Names of the model's outputs, in model order. */
    public List<String> outputNames() {
        session();
        return outputNames;
    }

    /**
     * The shape of an output, -1 where it depends on the batch.
     *
     * @throws IllegalArgumentException when there is no such output
     */
    public long[] outputShape(String name) {
        try {
            NodeInfo info = session().getOutputInfo().get(name);
            if (info == null) {
                throw new IllegalArgumentException("no output " + name + "; the model has " + outputNames);
            }
            return ((TensorInfo) info.getInfo()).getShape();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs one batch.
     *
     * @param batch NCHW values, {@code n·c·h·w} of them
     * @param shape {n, c, h, w}
     * @return output name to [n][width] rows
     */
    public Map<String, float[][]> run(float[] batch, long[] shape) {
        return run(batch, shape, new LinkedHashSet<>(outputNames()));
    }

    /**
     * Runs one batch and returns only some outputs (others, e.g. a large feature map, are not copied).
     *
     * @param outputs names of the outputs wanted
     * @return output name to [n][width] rows
     */
    public Map<String, float[][]> run(float[] batch, long[] shape, Set<String> outputs) {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), shape);
             OrtSession.Result result = session().run(Map.of(inputName, input), outputs)) {
            Map<String, float[][]> rows = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                rows.put(e.getKey(), toRows((OnnxTensor) e.getValue(), (int) shape[0]));
            }
            return rows;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs one batch and hands each wanted output, whole batch, to {@code each} as a buffer that is valid
     * only during the call: one output at a time is on the Java heap, for callers that only scan the
     * values (calibration reads every activation of the network).
     *
     * @param outputs names of the outputs wanted
     * @param each called with an output's name and its values, {@code n × width}, image after image
     */
    public void scan(float[] batch, long[] shape, Set<String> outputs, BiConsumer<String, FloatBuffer> each) {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), shape);
             OrtSession.Result result = session().run(Map.of(inputName, input), outputs)) {
            for (Map.Entry<String, OnnxValue> e : result) {
                each.accept(e.getKey(), ((OnnxTensor) e.getValue()).getFloatBuffer());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    private static float[][] toRows(OnnxTensor tensor, int n) {
        FloatBuffer flat = tensor.getFloatBuffer();
        int width = flat.remaining() / n;
        float[][] rows = new float[n][width];
        for (int i = 0; i < n; i++) {
            flat.get(rows[i]);
        }
        return rows;
    }

    /**
     * How many ONNX Runtime sessions are open in this JVM, over all runners: each holds its model and
     * its activation memory (hundreds of MB for a backbone at batch 32) until closed.
     */
    public static int openSessions() {
        return OPEN_SESSIONS.get();
    }

    @Override
    public synchronized void close() {
        pending = null;
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        } finally {
            session = null;
            OPEN_SESSIONS.decrementAndGet();
        }
    }
}
