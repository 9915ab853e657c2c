package org.transfer4j.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Map;

/**
 * What a Keras HDF5 file holds: its layers in the order Keras saved them, each with its weights in
 * Keras's own layouts (conv kernels {@code [kh, kw, in, out]}), and, for a whole-model file, each
 * layer's configuration from the {@code model_config} attribute.
 *
 * @param source the file, for messages
 * @param layers every layer of {@code layer_names}, weighted or not, in that order
 * @param configs layer name to its {@code model_config} entry; empty for a weights-only file
 */
public record KerasModel(String source, List<Layer> layers, Map<String, JsonNode> configs) {

    public KerasModel {
        layers = List.copyOf(layers);
        configs = Map.copyOf(configs);
    }

    /**
     * One Keras layer.
     *
     * @param name the layer's name ({@code conv_dw_2})
     * @param weights short weight name ({@code kernel}, {@code gamma}) to tensor, in the file's order
     */
    public record Layer(String name, Map<String, Tensor> weights) {
    }

    /** Whether the file carries the model's architecture (a {@code model.save} file). */
    public boolean hasConfig() {
        return !configs.isEmpty();
    }

    /** The layer's class ({@code Conv2D}), or null in a weights-only file. */
    public String className(String layer) {
        JsonNode c = configs.get(layer);
        return c == null ? null : c.path("class_name").asText(null);
    }

    /** The layer's {@code config} object; a missing node when unknown. */
    public JsonNode config(String layer) {
        JsonNode c = configs.get(layer);
        return c == null ? MissingNode.getInstance() : c.path("config");
    }

    /**
     * The name of the layer feeding {@code layer}, or null when unknown. Reads Keras 2's
     * {@code inbound_nodes: [[["name", 0, 0, {}]]]} and Keras 3's {@code keras_history}; in a
     * {@code Sequential} model, which lists no inbound nodes, it is the layer listed before.
     */
    public String inboundOf(String layer) {
        JsonNode c = configs.get(layer);
        if (c == null) {
            return null;
        }
        JsonNode history = c.path("inbound_nodes").findValue("keras_history");
        if (history != null && history.isArray()) {
            return history.path(0).asText(null);
        }
        JsonNode first = c.path("inbound_nodes").path(0).path(0).path(0);
        if (first.isTextual()) {
            return first.asText();
        }
        if (c.path("inbound_nodes").isMissingNode()) {
            for (int i = 1; i < layers.size(); i++) {
                if (layers.get(i).name().equals(layer)) {
                    return layers.get(i - 1).name();
                }
            }
        }
        return null;
    }
}
