package org.transfer4j.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * Folds each inference-mode batch norm into the convolution before it ({@code w' = w·γ/σ},
 * {@code b' = (b − μ)·γ/σ + β}, {@code σ = √(var + ε)}), so that an int8 export quantizes the weights the
 * network really multiplies by. A batch norm whose input is not a convolution's only use stays.
 */
final class BatchNormFolding {

    /** The folded network: nodes in execution order and their parameters by name. */
    record Folded(List<Node> nodes, Map<String, Tensor> params) {
    }

    private BatchNormFolding() {
    }

    static Folded fold(Graph graph, Weights weights, List<String> outputValues) {
        List<Node> nodes = graph.nodesFor(outputValues);
        Map<String, Integer> uses = new HashMap<>();
        for (Node n : nodes) {
            n.inputs().forEach(v -> uses.merge(v, 1, Integer::sum));
        }
        Map<String, Node> producer = new HashMap<>();
        for (Node n : nodes) {
            producer.put(n.output(), n);
        }
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String name : graph.parametersOf(nodes).keySet()) {
            params.put(name, weights.get(name));
        }
        Map<Node, Node> replaced = new HashMap<>();
        Set<Node> dropped = new HashSet<>();
        for (Node bn : nodes) {
            if (bn.op() != Op.BATCH_NORM) {
                continue;
            }
            String in = bn.inputs().get(0);
            Node conv = producer.get(in);
            if (conv == null || conv.op() != Op.CONV || uses.get(in) != 1 || outputValues.contains(in)) {
                continue;
            }
            foldInto(conv, bn, params);
            Node.Attributes a = conv.attributes();
            replaced.put(conv, new Node(Op.CONV, conv.name(), conv.inputs(), bn.output(),
                    new Node.Attributes(a.kernel(), a.stride(), a.pads(), a.groups(), true, a.ceilMode(), a.alpha())));
            dropped.add(bn);
        }
        List<Node> result = new ArrayList<>();
        for (Node n : nodes) {
            if (!dropped.contains(n)) {
                result.add(replaced.getOrDefault(n, n));
            }
        }
        return new Folded(result, params);
    }

    private static void foldInto(Node conv, Node bn, Map<String, Tensor> params) {
        float[] gamma = params.remove(bn.param("weight")).data();
        float[] beta = params.remove(bn.param("bias")).data();
        float[] mean = params.remove(bn.param("running_mean")).data();
        float[] var = params.remove(bn.param("running_var")).data();
        Tensor w = params.get(conv.param("weight"));
        int out = gamma.length;
        int per = w.data().length / out;
        float[] folded = w.data().clone();
        float[] bias = new float[out];
        Tensor oldBias = conv.attributes().hasBias() ? params.get(conv.param("bias")) : null;
        for (int c = 0; c < out; c++) {
            double factor = gamma[c] / Math.sqrt(var[c] + bn.attributes().alpha());
            for (int k = c * per; k < (c + 1) * per; k++) {
                folded[k] = (float) (folded[k] * factor);
            }
            double b = oldBias == null ? 0 : oldBias.data()[c];
            bias[c] = (float) ((b - mean[c]) * factor + beta[c]);
        }
        params.put(conv.param("weight"), new Tensor(w.shape(), folded));
        params.put(conv.param("bias"), new Tensor(new long[] {out}, bias));
    }
}
