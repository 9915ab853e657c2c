package org.transfer4j.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * Runs a {@link Graph} op by op on DJL NDArrays with libtorch: the executor that trains. Parameters
 * live in one manager owned by the executor and freed by {@link #close()}. All parameters start
 * frozen; {@link #attachGradient} makes some trainable (a new head, the top blocks), and a
 * {@link #forward} inside a {@code GradientCollector} then yields their gradients. Batch-norm layers
 * use batch statistics only when training and trainable; frozen ones stay in inference mode.
 *
 * <p>Inference: {@link #run} keeps each batch's intermediate arrays in a child manager that it closes
 * before returning, and frees every intermediate as soon as no later node reads it.
 */
public final class DjlExecutor implements AutoCloseable {

    private static final Set<String> STATISTICS = Set.of("running_mean", "running_var");

    private final Graph graph;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Set<String> trainable = new LinkedHashSet<>();

    /**
     * Copies the weights into a new parameter manager.
     *
     * @throws org.transfer4j.weights.WeightsException when the weights do not fit the graph
     */
    public DjlExecutor(Graph graph, Weights weights) {
        this(graph, weights, graph.parameters().keySet());
        weights.checkAgainst(graph, "weights given for " + graph.name());
    }

    private DjlExecutor(Graph graph, Weights weights, Set<String> names) {
        this.graph = graph;
        this.manager = DjlEngine.newManager();
        manager.setName("parameters of " + graph.name());
        for (String name : names) {
            Tensor t = weights.get(name);
            NDArray array = manager.create(t.data(), new Shape(t.shape()));
            array.setName(name);
            parameters.put(name, array);
        }
    }

    /**
     * An executor for the part of a graph above a cut only ({@link #forwardFrom}): just the parameters
     * of the nodes above {@code value} are copied, so a head trained on cached features never copies
     * the frozen backbone, and {@code weights} need hold nothing else.
     */
    public static DjlExecutor above(Graph graph, Weights weights, String value) {
        Set<String> nodeNames = new java.util.HashSet<>();
        for (Node n : nodesAbove(graph, value, new ArrayList<>(outputsAbove(graph, value).values()))) {
            nodeNames.add(n.name());
        }
        Set<String> names = new LinkedHashSet<>();
        for (String p : graph.parameters().keySet()) {
            if (nodeNames.contains(p.substring(0, p.lastIndexOf('.')))) {
                names.add(p);
            }
        }
        return new DjlExecutor(graph, weights, names);
    }

    public Graph graph() {
        return graph;
    }

    /** The manager that owns the parameters; make per-batch managers with {@code newSubManager()}. */
    public NDManager manager() {
        return manager;
    }

    /**
     * Inference on one batch, all batch-norm layers in inference mode.
     *
     * @param batch NCHW values, {@code n·c·h·w} of them
     * @param shape {n, c, h, w}; c, h and w as the graph's input
     * @param roles named outputs wanted ({@link Graph.Outputs})
     * @return role to [n][width] rows, in the order asked
     */
    public Map<String, float[][]> run(float[] batch, long[] shape, List<String> roles) {
        checkInput(batch, shape);
        List<String> values = new ArrayList<>();
        for (String role : roles) {
            values.add(graph.output(role));
        }
        try (NDManager batchManager = manager.newSubManager()) {
            NDArray input = batchManager.create(batch, new Shape(shape));
            Map<String, NDArray> computed = evaluate(input, values, false);
            Map<String, float[][]> rows = new LinkedHashMap<>();
            for (int i = 0; i < roles.size(); i++) {
                rows.put(roles.get(i), toRows(computed.get(values.get(i)), (int) shape[0]));
            }
            return rows;
        }
    }

    /**
     * Computes every named output of the graph. Results and intermediates live in the input's
     * manager: give each batch its own and close it after the step.
     *
     * @param training batch-norm layers with trainable parameters use batch statistics and update
     *     their running ones; frozen layers stay in inference mode regardless
     * @return role to output array
     */
    public Map<String, NDArray> forward(NDArray input, boolean training) {
        Map<String, NDArray> computed = evaluate(input, new ArrayList<>(graph.outputs().values()), training);
        Map<String, NDArray> result = new LinkedHashMap<>();
        graph.outputs().forEach((role, value) -> result.put(role, computed.get(value)));
        return result;
    }

    /**
     * The pass that re-estimates batch-norm statistics (AdaBN): computes the features with every
     * batch-norm layer normalising by the batch's own statistics, as PyTorch's train mode does, so each
     * layer sees inputs normalised by the layers below it on the same images. Nothing trains. Results
     * live in the input's manager.
     *
     * @param batchNormInputs told each batch-norm node and its input, before the node runs
     * @return the features
     */
    public NDArray forwardWithBatchStatistics(NDArray input, BiConsumer<Node, NDArray> batchNormInputs) {
        String features = graph.output(Graph.Outputs.FEATURES);
        Map<String, NDArray> known = new HashMap<>();
        known.put(Graph.INPUT, input);
        return evaluate(graph.nodesFor(List.of(features)), known, List.of(features), false, batchNormInputs)
                .get(features);
    }

    /**
     * Computes every named output from the activations at a cut: runs only the nodes above
     * {@code value}, with {@code activations} as that value (staged fine-tuning, where the frozen lower
     * part ran once and its output was cached). Results live in the activations' manager.
     *
     * @param value the graph value at the cut, e.g. the input of the lowest unfrozen block
     * @param activations that value for a batch, [n, ...shape of value]
     * @param training as in {@link #forward}
     * @return role to output array
     * @throws IllegalArgumentException when an output depends on the graph input other than through
     *     the cut value
     */
    public Map<String, NDArray> forwardFrom(String value, NDArray activations, boolean training) {
        Map<String, String> roles = outputsAbove(graph, value);
        List<String> wanted = new ArrayList<>(roles.values());
        List<Node> nodes = nodesAbove(graph, value, wanted);
        Map<String, NDArray> known = new HashMap<>();
        known.put(value, activations);
        Map<String, NDArray> computed = evaluate(nodes, known, wanted, training, null);
        Map<String, NDArray> result = new LinkedHashMap<>();
        roles.forEach((role, v) -> result.put(role, computed.get(v)));
        return result;
    }

    /**
     * The named outputs computable from a cut value alone (a feature map below the features, say, is
     * not computable from the features).
     *
     * @throws IllegalArgumentException when none is
     */
    static Map<String, String> outputsAbove(Graph graph, String value) {
        Map<String, String> roles = new LinkedHashMap<>();
        for (Map.Entry<String, String> o : graph.outputs().entrySet()) {
            try {
                nodesAbove(graph, value, List.of(o.getValue()));
                roles.put(o.getKey(), o.getValue());
            } catch (IllegalArgumentException below) {
                // this output reads the graph below the cut
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException(graph.name() + ": no output can be computed from " + value
                    + " alone; it is not a cut of the graph");
        }
        return roles;
    }

    /** The nodes needed for the wanted values when {@code value} is given, in execution order. */
    static List<Node> nodesAbove(Graph graph, String value, List<String> wanted) {
        Map<String, Node> producer = new HashMap<>();
        for (Node n : graph.nodes()) {
            producer.put(n.output(), n);
        }
        Set<Node> needed = new java.util.HashSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(wanted);
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (v.equals(value)) {
                continue;
            }
            if (v.equals(Graph.INPUT)) {
                throw new IllegalArgumentException(graph.name() + ": the outputs read the input other than "
                        + "through " + value + "; it is not a cut of the graph");
            }
            Node n = producer.get(v);
            if (n == null) {
                throw new IllegalArgumentException(graph.name() + " has no value " + v);
            }
            if (needed.add(n)) {
                todo.addAll(n.inputs());
            }
        }
        List<Node> result = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (needed.contains(n)) {
                result.add(n);
            }
        }
        return result;
    }

    /**
     * Makes trainable every weight and bias whose name starts with one of the prefixes (running
     * batch-norm statistics are never trainable; they follow the batches when training).
     *
     * @param prefixes parameter name prefixes, e.g. {@code features.17}, {@code classifier}
     * @return the names made trainable, in definition order
     * @throws IllegalArgumentException when a prefix matches no parameter
     */
    public List<String> attachGradient(String... prefixes) {
        List<String> attached = new ArrayList<>();
        for (String prefix : prefixes) {
            boolean matched = false;
            for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
                String name = p.getKey();
                if (!name.startsWith(prefix) || STATISTICS.contains(suffix(name))) {
                    continue;
                }
                matched = true;
                if (trainable.add(name)) {
                    p.getValue().setRequiresGradient(true);
                    attached.add(name);
                }
            }
            if (!matched) {
                throw new IllegalArgumentException("no parameter of " + graph.name() + " starts with '"
                        + prefix + "'; its parameters run from " + first(parameters.keySet()) + " to "
                        + last(parameters.keySet()));
            }
        }
        return attached;
    }

    /** Whether a parameter is frozen (no gradient attached). */
    public boolean isFrozen(String parameter) {
        if (!parameters.containsKey(parameter)) {
            throw new IllegalArgumentException("no parameter " + parameter + " in " + graph.name());
        }
        return !trainable.contains(parameter);
    }

    /** Trainable parameters by name, in definition order: what an optimizer updates. */
    public Map<String, NDArray> trainableParameters() {
        Map<String, NDArray> result = new LinkedHashMap<>();
        for (String name : trainable) {
            result.put(name, parameters.get(name));
        }
        return Collections.unmodifiableMap(result);
    }

    /** One parameter's current value. */
    public Tensor tensor(String name) {
        NDArray array = parameter(name);
        return new Tensor(array.getShape().getShape(), array.toFloatArray());
    }

    /**
     * Overwrites one parameter in place (restoring a checkpoint); its gradient, if any, stays attached.
     *
     * @throws IllegalArgumentException when the name is unknown or the shape differs
     */
    public void assign(String name, Tensor value) {
        NDArray array = parameter(name);
        if (!Arrays.equals(array.getShape().getShape(), value.shape())) {
            throw new IllegalArgumentException(name + " is " + array.getShape() + " in " + graph.name()
                    + " but the saved value is " + value.shapeText());
        }
        array.set(value.data());
    }

    private NDArray parameter(String name) {
        NDArray array = parameters.get(name);
        if (array == null) {
            throw new IllegalArgumentException("no parameter " + name + " in " + graph.name());
        }
        return array;
    }

    /** The current values of the parameters this executor holds, e.g. after fine-tuning, in definition order. */
    public Weights weights() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        parameters.forEach((name, array) ->
                tensors.put(name, new Tensor(array.getShape().getShape(), array.toFloatArray())));
        return new Weights(tensors);
    }

    /** Frees every parameter and optimizer state living in the executor's manager. */
    @Override
    public void close() {
        manager.close();
    }

    /** Runs the nodes needed for the wanted values. */
    private Map<String, NDArray> evaluate(NDArray input, List<String> wanted, boolean training) {
        Map<String, NDArray> known = new HashMap<>();
        known.put(Graph.INPUT, input);
        return evaluate(graph.nodesFor(wanted), known, wanted, training, null);
    }

    /**
     * Runs nodes in order and closes each intermediate after its last reader, in training too: a
     * libtorch tensor is reference-counted, so autograd keeps what the backward pass needs, and the
     * frozen part's activations (which need no gradient) are freed as the forward pass goes, as
     * under PyTorch's {@code no_grad}.
     *
     * @param batchNormInputs null, or every batch-norm layer uses batch statistics and is told its input
     */
    private Map<String, NDArray> evaluate(List<Node> nodes, Map<String, NDArray> known, List<String> wanted,
                                          boolean training, BiConsumer<Node, NDArray> batchNormInputs) {
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                lastUse.put(in, i);
            }
        }
        Map<String, NDArray> values = new HashMap<>(known);
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            List<NDArray> inputs = new ArrayList<>();
            for (String in : node.inputs()) {
                inputs.add(values.get(in));
            }
            boolean batchStatistics = node.op() == Op.BATCH_NORM
                    && (batchNormInputs != null || training && trainable.contains(node.param("weight")));
            if (batchStatistics && batchNormInputs != null) {
                batchNormInputs.accept(node, inputs.get(0));
            }
            NDArray out = DjlOps.apply(node, inputs, parameters::get, batchStatistics, training);
            values.put(node.output(), out);
            for (String in : new LinkedHashSet<>(node.inputs())) {
                if (lastUse.get(in) == i && !known.containsKey(in) && !wanted.contains(in)) {
                    values.remove(in).close();
                }
            }
        }
        return values;
    }

    private void checkInput(float[] batch, long[] shape) {
        long[] expected = {3, graph.inputSize(), graph.inputSize()};
        if (shape.length != 4 || !Arrays.equals(Arrays.copyOfRange(shape, 1, 4), expected)
                || Tensor.numel(shape) != batch.length) {
            throw new IllegalArgumentException(graph.name() + " takes [n, 3, " + graph.inputSize() + ", "
                    + graph.inputSize() + "] batches; got shape " + Arrays.toString(shape) + " with "
                    + batch.length + " values");
        }
    }

    private static float[][] toRows(NDArray array, int n) {
        float[] flat = array.toFloatArray();
        int width = flat.length / n;
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return rows;
    }

    private static String suffix(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String first(Set<String> names) {
        return names.iterator().next();
    }

    private static String last(Set<String> names) {
        String last = null;
        for (String n : names) {
            last = n;
        }
        return last;
    }
}
