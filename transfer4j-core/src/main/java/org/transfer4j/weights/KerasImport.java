package org.transfer4j.weights;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;

/**
 * Maps the weights of a Keras HDF5 file onto a graph built in {@code ConvStyle.KERAS} style, e.g.
 * {@code MobileNetV1.keras(0.25, 224)}.
 *
 * <p>Keras layer names are not ours, so the file's weighted layers, in {@code layer_names} order, are
 * paired with the graph's conv, batch-norm and linear nodes in graph order. Each pair is checked: layer
 * class and tensor shapes always; when the file carries its {@code model_config}, also the input size,
 * stride, padding (a {@code ZeroPadding2D} in front of a 'valid' conv included), batch-norm epsilon and
 * the absence of a fused activation, so a file of another architecture fails with a message naming the
 * layer. Layouts are converted on the way: {@code Conv2D} kernel {@code [kh,kw,in,out] -> [out,in,kh,kw]},
 * {@code DepthwiseConv2D} {@code [kh,kw,in,1] -> [in,1,kh,kw]}, {@code BatchNormalization}
 * gamma/beta/moving_mean/moving_variance to weight/bias/running_mean/running_var, and the classifier,
 * a {@code Dense [in,out]} or a 1×1 {@code Conv2D} on the pooled features (Keras MobileNet's
 * {@code conv_preds}), to {@code [out,in]}.
 */
public final class KerasImport {

    private static final int[] CONV_ORDER = {3, 2, 0, 1};       // [kh,kw,in,out] -> [out,in,kh,kw]
    private static final int[] DEPTHWISE_ORDER = {2, 3, 0, 1};  // [kh,kw,in,m] -> [in,m,kh,kw]

    private KerasImport() {
    }

    /**
     * Reads a Keras {@code .h5} file and maps its weights onto {@code graph}.
     *
     * @throws WeightsException when the file is unreadable or does not fit the graph
     */
    public static Weights load(Path file, Graph graph) {
        return map(KerasH5Reader.read(file), graph);
    }

    /**
     * Maps a file's weights onto {@code graph}.
     *
     * @return one tensor per graph parameter, in the graph's layouts
     * @throws WeightsException naming the first layer that does not fit its graph node
     */
    public static Weights map(KerasModel model, Graph graph) {
        checkInput(model, graph);
        List<Node> nodes = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (KerasPairing.isParametric(n)) {
                nodes.add(n);
            }
        }
        List<KerasModel.Layer> layers = new ArrayList<>();
        for (KerasModel.Layer layer : model.layers()) {
            if (!layer.weights().isEmpty()) {
                layers.add(layer);
            }
        }
        if (layers.size() != nodes.size()) {
            throw new WeightsException(model.source() + " has " + layers.size() + " layers with weights but "
                    + graph.name() + " has " + nodes.size() + " conv, batch-norm and linear layers; pick the "
                    + "architecture the file was made for");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            new KerasPairing(model, graph, layers.get(i), nodes.get(i)).addTo(tensors);
        }
        Weights weights = new Weights(tensors);
        weights.checkAgainst(graph, model.source());
        return weights;
    }

    /** The input layer's [H, W, C] must be the graph's, when the file says. */
    private static void checkInput(KerasModel model, Graph graph) {
        for (KerasModel.Layer layer : model.layers()) {
            if ("InputLayer".equals(model.className(layer.name()))) {
                JsonNode config = model.config(layer.name());
                JsonNode shape = config.has("batch_input_shape") ? config.get("batch_input_shape") : config.path("batch_shape");
                int h = shape.path(1).asInt(-1);
                int w = shape.path(2).asInt(-1);
                int c = shape.path(3).asInt(-1);
                boolean known = shape.path(1).isInt() && shape.path(2).isInt();
                if (known && (h != graph.inputSize() || w != graph.inputSize() || c != 3)) {
                    throw new WeightsException(model.source() + " takes input " + shape + " (NHWC) but " + graph.name()
                            + " is built for " + graph.inputSize() + "x" + graph.inputSize()
                            + " RGB; pick the variant with the file's input size");
                }
            }
        }
    }

    /** Reorders the axes of a 4-D tensor: output axis {@code a} is input axis {@code order[a]}. */
    static Tensor permute(Tensor t, int[] order) {
        return TfliteImport.permute(t, order);
    }

    /** Keras conv kernel {@code [kh,kw,in,out]} to {@code [out,in,kh,kw]}. */
    static Tensor convKernel(Tensor kernel) {
        return permute(kernel, CONV_ORDER);
    }

    /** Keras depthwise kernel {@code [kh,kw,in,m]} to {@code [in·m,1,kh,kw]} (output channel in·m + j). */
    static Tensor depthwiseKernel(Tensor kernel) {
        long[] s = kernel.shape();
        return permute(kernel, DEPTHWISE_ORDER).reshape(s[2] * s[3], 1, s[0], s[1]);
    }

    /** Describes a layer for messages: {@code 'conv_dw_2' (DepthwiseConv2D)}. */
    static String describe(KerasModel model, KerasModel.Layer layer) {
        String cls = model.className(layer.name());
        return "layer '" + layer.name() + "'" + (cls == null ? " " + layer.weights().keySet() : " (" + cls + ")");
    }

    /** Shapes as text for messages. */
    static String shapes(Map<String, Tensor> weights) {
        StringBuilder b = new StringBuilder();
        weights.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v.shapeText()));
        return b.toString();
    }

    static String text(int[] values) {
        return Arrays.toString(values);
    }
}
