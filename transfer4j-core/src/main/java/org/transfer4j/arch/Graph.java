package org.transfer4j.arch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A network as data: operations in execution order over named values, with the shape of every
 * parameter. Built by an architecture through {@link GraphBuilder}; executed by the ONNX writer and
 * the DJL executor alike, so both run the very same definition.
 */
public final class Graph {

    /** Name of the graph's single input, an [N, 3, H, W] image batch. */
    public static final String INPUT = "input";

    private final String name;
    private final int inputSize;
    private final List<Node> nodes;
    private final Map<String, long[]> parameters;
    private final Map<String, String> outputs;
    private final Map<String, long[]> valueShapes;

    Graph(String name, int inputSize, List<Node> nodes, Map<String, long[]> parameters,
          Map<String, String> outputs, Map<String, long[]> valueShapes) {
        this.name = name;
        this.inputSize = inputSize;
        this.nodes = List.copyOf(nodes);
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        this.valueShapes = Collections.unmodifiableMap(new HashMap<>(valueShapes));
    }

    /** Architecture name, e.g. {@code resnet18}. */
    public String name() {
        return name;
    }

    /** Height and width of the input the graph was built for. */
    public int inputSize() {
        return inputSize;
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** Parameter name to shape, in definition order (the order of a torchvision state_dict). */
    public Map<String, long[]> parameters() {
        return parameters;
    }

    /** Named outputs: {@link Outputs#FEATURES} and, with a classifier, {@link Outputs#LOGITS}. */
    public Map<String, String> outputs() {
        return outputs;
    }

    /** The value that a named output refers to. */
    public String output(String role) {
        String value = outputs.get(role);
        if (value == null) {
            throw new IllegalArgumentException(name + " has no output " + role + "; it has " + outputs.keySet());
        }
        return value;
    }

    /** Shape of a value for one image (batch dimension left out): [C, H, W] or [F]. */
    public long[] shapeOf(String value) {
        long[] s = valueShapes.get(value);
        if (s == null) {
            throw new IllegalArgumentException("unknown value " + value);
        }
        return s.clone();
    }

    /** Width of a flat output, e.g. 1280 features for MobileNetV2. */
    public int width(String role) {
        long[] s = shapeOf(output(role));
        long n = 1;
        for (long d : s) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /** The nodes needed to compute the given values, in execution order. */
    public List<Node> nodesFor(List<String> values) {
        Map<String, Node> producer = new HashMap<>();
        for (Node n : nodes) {
            producer.put(n.output(), n);
        }
        Set<Node> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(values);
        while (!todo.isEmpty()) {
            Node n = producer.get(todo.pop());
            if (n != null && needed.add(n)) {
                todo.addAll(n.inputs());
            }
        }
        List<Node> result = new ArrayList<>();
        for (Node n : nodes) {
            if (needed.contains(n)) {
                result.add(n);
            }
        }
        return result;
    }

    /**
     * The convolutional map that the features average: the input of the global average pool behind
     * {@link Outputs#FEATURES} (through a flatten, if any). Grad-CAM explains this value.
     *
     * @return empty when the features do not come from a global average pool (VGG's fully connected
     *     layers, for one)
     */
    public Optional<String> pooledFeatureMap() {
        Map<String, Node> producer = new HashMap<>();
        for (Node n : nodes) {
            producer.put(n.output(), n);
        }
        Node node = producer.get(outputs.get(Outputs.FEATURES));
        while (node != null && node.op() == Op.FLATTEN) {
            node = producer.get(node.inputs().get(0));
        }
        return node != null && node.op() == Op.GLOBAL_AVG_POOL ? Optional.of(node.inputs().get(0)) : Optional.empty();
    }

    /** Parameters used by the given nodes, in definition order. */
    public Map<String, long[]> parametersOf(List<Node> subset) {
        Set<String> prefixes = new HashSet<>();
        for (Node n : subset) {
            prefixes.add(n.name());
        }
        Map<String, long[]> result = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> p : parameters.entrySet()) {
            String key = p.getKey();
            if (prefixes.contains(key.substring(0, key.lastIndexOf('.')))) {
                result.put(key, p.getValue());
            }
        }
        return result;
    }

    /** Standard output names. */
    public static final class Outputs {
        /** The penultimate layer, flattened: what a new head is trained on. */
        public static final String FEATURES = "features";
        /** Class scores of the pretrained (or new) classifier. */
        public static final String LOGITS = "logits";
        /** The map the features average ({@link #pooledFeatureMap()}), exported for Grad-CAM. */
        public static final String FEATURE_MAP = "feature_map";

        private Outputs() {
        }
    }
}
