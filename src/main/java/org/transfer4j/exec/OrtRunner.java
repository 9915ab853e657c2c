package org.transfer4j.exec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an ONNX model on ONNX Runtime: the fast executor for frozen backbones, exported classifiers
 * and prediction. Inputs are NCHW float batches; outputs come back as one flat row per image.
 */
public final class OrtRunner implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;
    private final List<String> outputNames;

    /**
     * @param model bytes of an ONNX model with one input
     * @param threads intra-op threads; 0 lets ONNX Runtime choose (one per core)
     */
    public OrtRunner(byte[] model, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            session = env.createSession(model, options);
            inputName = session.getInputNames().iterator().next();
            outputNames = new ArrayList<>(session.getOutputNames());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load the model: " + e.getMessage(), e);
        }
    }

    /** Names of the model's outputs, in model order. */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * Runs one batch.
     *
     * @param batch NCHW values, {@code n·c·h·w} of them
     * @param shape {n, c, h, w}
     * @return output name to [n][width] rows
     */
    public Map<String, float[][]> run(float[] batch, long[] shape) {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), shape);
             OrtSession.Result result = session.run(Map.of(inputName, input))) {
            Map<String, float[][]> rows = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                rows.put(e.getKey(), toRows((OnnxTensor) e.getValue(), (int) shape[0]));
            }
            return rows;
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

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
