package org.transfer4j.exec;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.transfer4j.arch.Graph;
import org.transfer4j.weights.Weights;

/**
 * Measures the activation ranges of an int8 export ({@link OnnxWriter#writeInt8}) by running the float
 * network on calibration batches with every value the int8 model quantizes as an output.
 */
public final class Calibrator implements AutoCloseable {

    /** Values sampled per image and value for percentiles. */
    private static final int SAMPLES_PER_IMAGE = 1024;
    private static final double TAIL = 1e-4;

    private final OrtRunner runner;
    private final List<String> values;
    private final Calibration.Settings settings;
    private final Random random;
    private final Map<String, float[]> minMax = new LinkedHashMap<>();
    private final Map<String, FloatSample> samples = new LinkedHashMap<>();
    private int images;

    /**
     * @param outputRoles the outputs the int8 model will have (they decide which values it needs)
     * @param threads ONNX Runtime intra-op threads
     */
    public Calibrator(Graph graph, Weights weights, List<String> outputRoles, Calibration.Settings settings, int threads) {
        this.values = OnnxWriter.quantizedValues(graph, weights, outputRoles);
        this.runner = new OrtRunner(OnnxWriter.writeForCalibration(graph, weights, outputRoles), threads);
        this.settings = settings;
        this.random = new Random(settings.seed());
        for (String v : values) {
            minMax.put(v, new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
            samples.put(v, new FloatSample());
        }
    }

    /**
     * Observes one batch of preprocessed images, NCHW. Only the running minimum and maximum of each value
     * (and, for percentiles, a fixed-size sample of it per image) are kept; the activations are read one
     * output at a time and dropped.
     */
    public void observe(float[] batch, long[] shape) {
        int n = (int) shape[0];
        record(Graph.INPUT, FloatBuffer.wrap(batch), n);
        runner.scan(batch, shape, new LinkedHashSet<>(values.subList(1, values.size())), (value, data) ->
                record(value, data, n));
        images += n;
    }

    /** Records the values of n images, {@code data.remaining() / n} each, image after image. */
    private void record(String value, FloatBuffer data, int n) {
        float[] mm = minMax.get(value);
        int start = data.position();
        int end = data.limit();
        for (int k = start; k < end; k++) {
            float x = data.get(k);
            if (x < mm[0]) {
                mm[0] = x;
            }
            if (x > mm[1]) {
                mm[1] = x;
            }
        }
        if (settings.method() == Calibration.Method.PERCENTILE) {
            FloatSample s = samples.get(value);
            int length = (end - start) / n;
            for (int i = 0; i < n; i++) {
                int from = start + i * length;
                for (int k = 0; k < SAMPLES_PER_IMAGE; k++) {
                    s.add(data.get(from + random.nextInt(length)));
                }
            }
        }
    }

    /**
     * The ranges observed so far.
     *
     * @throws IllegalStateException when no image was observed
     */
    public Calibration result() {
        if (images == 0) {
            throw new IllegalStateException("no calibration image could be read");
        }
        Map<String, float[]> ranges = new LinkedHashMap<>();
        for (String v : values) {
            if (settings.method() == Calibration.Method.PERCENTILE) {
                float[] sorted = samples.get(v).sorted();
                int last = sorted.length - 1;
                ranges.put(v, new float[] {sorted[(int) Math.floor(TAIL * last)], sorted[(int) Math.ceil((1 - TAIL) * last)]});
            } else {
                ranges.put(v, minMax.get(v).clone());
            }
        }
        return new Calibration(settings.method(), images, settings.seed(), ranges);
    }

    @Override
    public void close() {
        runner.close();
    }

    /** A growing array of floats. */
    private static final class FloatSample {
        private float[] data = new float[0];
        private int size;

        void add(float x) {
            if (size == data.length) {
                data = Arrays.copyOf(data, Math.max(1024, size * 2));
            }
            data[size++] = x;
        }

        float[] sorted() {
            float[] copy = Arrays.copyOf(data, size);
            Arrays.sort(copy);
            return copy;
        }
    }
}
