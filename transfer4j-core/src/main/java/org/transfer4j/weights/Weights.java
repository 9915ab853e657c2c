package org.transfer4j.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.transfer4j.arch.Graph;

/** Named tensors, in the order their source file lists them (a state_dict, in effect). */
public final class Weights {

    private final Map<String, Tensor> tensors;
    private final Map<String, QuantParams> fileQuantization;
    private final Map<String, float[]> fileRanges;

    public Weights(Map<String, Tensor> tensors) {
        this(tensors, Map.of(), Map.of());
    }

    private Weights(Map<String, Tensor> tensors, Map<String, QuantParams> quantization, Map<String, float[]> ranges) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.fileQuantization = Collections.unmodifiableMap(new LinkedHashMap<>(quantization));
        this.fileRanges = Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
    }

    /**
     * These weights with the integer form their file stored them in (TFLite): parameter name to scales
     * and zero points, and graph value name to the [min, max] range the file quantized that activation to.
     */
    public Weights withFileQuantization(Map<String, QuantParams> params, Map<String, float[]> activationRanges) {
        return new Weights(tensors, params, activationRanges);
    }

    /** These weights with the file quantization of {@code source} (e.g. a backbone's, after a head was added). */
    public Weights withFileQuantizationOf(Weights source) {
        return new Weights(tensors, source.fileQuantization, source.fileRanges);
    }

    /** The scales and zero points the file stored a parameter with; empty for float weights. */
    public Optional<QuantParams> fileQuantization(String name) {
        return Optional.ofNullable(fileQuantization.get(name));
    }

    /** Activation ranges ([min, max]) the file was quantized with, by graph value name; empty for float weights. */
    public Map<String, float[]> fileActivationRanges() {
        return fileRanges;
    }

    /** The tensor of that name; fails fast when absent (call {@link #checkAgainst} first). */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named " + name);
        }
        return t;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Map<String, Tensor> asMap() {
        return tensors;
    }

    public int size() {
        return tensors.size();
    }

    /** Total number of values over all tensors. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.data().length;
        }
        return n;
    }

    /**
     * Checks that these weights fit a graph: every parameter present with its shape. Extra tensors
     * that only bookkeeping needs ({@code num_batches_tracked}) are ignored.
     *
     * @param source what to name in the message (a file name)
     * @throws WeightsException listing missing, unexpected and mis-shaped keys
     */
    public void checkAgainst(Graph graph, String source) {
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        for (Map.Entry<String, long[]> p : graph.parameters().entrySet()) {
            Tensor t = tensors.get(p.getKey());
            if (t == null) {
                missing.add(p.getKey());
            } else if (!Arrays.equals(t.shape(), p.getValue())) {
                misShaped.add(p.getKey() + " " + t.shapeText() + " (expected "
                        + Arrays.toString(p.getValue()) + ")");
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : tensors.keySet()) {
            if (!graph.parameters().containsKey(name) && !name.endsWith("num_batches_tracked")) {
                unexpected.add(name);
            }
        }
        if (missing.isEmpty() && misShaped.isEmpty() && unexpected.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder(source + " does not fit " + graph.name() + ":");
        appendList(msg, "missing", missing);
        appendList(msg, "unexpected", unexpected);
        appendList(msg, "mis-shaped", misShaped);
        throw new WeightsException(msg.toString());
    }

    private static void appendList(StringBuilder msg, String what, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        msg.append(' ').append(names.size()).append(' ').append(what).append(" (");
        msg.append(String.join(", ", names.subList(0, Math.min(5, names.size()))));
        if (names.size() > 5) {
            msg.append(", ...");
        }
        msg.append(");");
    }
}
