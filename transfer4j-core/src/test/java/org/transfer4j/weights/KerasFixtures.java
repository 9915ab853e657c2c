package org.transfer4j.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes small Keras HDF5 files laid out as Keras 2 saves them, with jHDF: Keras applications'
 * MobileNet ({@code conv1}, {@code conv_dw_k}, {@code conv_pad_k}, {@code conv_pw_k}, {@code conv_preds}),
 * seeded random weights in Keras layouts, and optionally the {@code model_config} attribute.
 */
final class KerasFixtures {

    /** Keras MobileNet's depthwise-separable blocks: filters at alpha 1 and stride. */
    private static final int[][] BLOCKS = {
        {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2},
        {512, 1}, {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1},
    };

    /**
     * What to write.
     *
     * @param alpha width multiplier
     * @param inputSize the InputLayer's height and width
     * @param classes conv_preds filters
     * @param withConfig a whole-model file (model_config, weights under model_weights) or weights only
     * @param bnEpsilon epsilon written into every BatchNormalization config
     * @param stridePadding ZeroPadding2D before stride-2 depthwise convs: [[top, bottom], [left, right]]
     */
    record Spec(double alpha, int inputSize, int classes, boolean withConfig, double bnEpsilon, int[][] stridePadding) {

        static Spec mobileNet(double alpha, int inputSize) {
            return new Spec(alpha, inputSize, 10, true, 1e-3, new int[][] {{0, 1}, {0, 1}});
        }

        Spec weightsOnly() {
            return new Spec(alpha, inputSize, classes, false, bnEpsilon, stridePadding);
        }

        Spec epsilon(double eps) {
            return new Spec(alpha, inputSize, classes, withConfig, eps, stridePadding);
        }

        Spec padding(int[][] pads) {
            return new Spec(alpha, inputSize, classes, withConfig, bnEpsilon, pads);
        }
    }

    /** A written file and its weights: layer name to weight name to a nested float array (Keras layout). */
    record Written(Path file, Map<String, Map<String, Object>> weights) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(42);
    private final List<ObjectNode> configs = new ArrayList<>();
    private final Map<String, Map<String, Object>> weights = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();
    private final Spec spec;

    private KerasFixtures(Spec spec) {
        this.spec = spec;
    }

    static Written mobileNet(Path file, Spec spec) {
        return new KerasFixtures(spec).write(file);
    }

    private Written write(Path file) {
        ObjectNode input = layer("InputLayer", "input_1", null);
        ArrayNode shape = input.with("config").putArray("batch_input_shape");
        shape.addNull().add(spec.inputSize()).add(spec.inputSize()).add(3);
        String x = convBnRelu("conv1", "conv1_bn", "input_1", "Conv2D", 3, channels(32), 2, "same");
        for (int k = 1; k <= BLOCKS.length; k++) {
            int stride = BLOCKS[k - 1][1];
            if (stride == 2) {
                ObjectNode pad = layer("ZeroPadding2D", "conv_pad_" + k, x);
                pad.with("config").set("padding", json.valueToTree(spec.stridePadding()));
                x = "conv_pad_" + k;
            }
            x = convBnRelu("conv_dw_" + k, "conv_dw_" + k + "_bn", x, "DepthwiseConv2D", 3, -1, stride,
                    stride == 2 ? "valid" : "same");
            x = convBnRelu("conv_pw_" + k, "conv_pw_" + k + "_bn", x, "Conv2D", 1, channels(BLOCKS[k - 1][0]), 1, "same");
        }
        layer("GlobalAveragePooling2D", "global_average_pooling2d", x).with("config").put("keepdims", true);
        layer("Dropout", "dropout", "global_average_pooling2d");
        int features = channels(1024);
        ObjectNode preds = conv("conv_preds", "dropout", "Conv2D", 1, 1, "same", true);
        put("conv_preds", "kernel", random(1, 1, features, spec.classes()));
        put("conv_preds", "bias", random(spec.classes()));
        preds.with("config").put("filters", spec.classes());
        layer("Reshape", "reshape_2", "conv_preds");
        layer("Activation", "predictions", "reshape_2").with("config").put("activation", "softmax");
        save(file);
        return new Written(file, weights);
    }

    private int channels(int base) {
        return (int) (base * spec.alpha());
    }

    private String convBnRelu(String conv, String bn, String in, String cls, int kernel, int filters, int stride,
                              String padding) {
        int inChannels = channelsSoFar();
        conv(conv, in, cls, kernel, stride, padding, false);
        if (cls.equals("DepthwiseConv2D")) {
            put(conv, "depthwise_kernel", random(kernel, kernel, inChannels, 1));
            filters = inChannels;
        } else {
            put(conv, "kernel", random(kernel, kernel, inChannels, filters));
        }
        ObjectNode b = layer("BatchNormalization", bn, conv);
        b.with("config").put("epsilon", spec.bnEpsilon());
        put(bn, "gamma", random(filters));
        put(bn, "beta", random(filters));
        put(bn, "moving_mean", random(filters));
        float[] var = random(filters);
        for (int i = 0; i < var.length; i++) {
            var[i] = 0.5f + Math.abs(var[i]);
        }
        put(bn, "moving_variance", var);
        layer("ReLU", conv + "_relu", bn).with("config").put("max_value", 6.0);
        return conv + "_relu";
    }

    private ObjectNode conv(String name, String in, String cls, int kernel, int stride, String padding, boolean bias) {
        ObjectNode c = layer(cls, name, in);
        ObjectNode config = c.with("config");
        config.putArray("kernel_size").add(kernel).add(kernel);
        config.putArray("strides").add(stride).add(stride);
        config.put("padding", padding);
        config.putArray("dilation_rate").add(1).add(1);
        config.put("activation", "linear");
        config.put("use_bias", bias);
        return c;
    }

    /** Channels of the newest layer output: the last batch-norm's width, or the 3 of the image. */
    private int channelsSoFar() {
        for (int i = order.size() - 1; i >= 0; i--) {
            Map<String, Object> w = weights.get(order.get(i));
            if (w != null && w.containsKey("moving_mean")) {
                return ((float[]) w.get("moving_mean")).length;
            }
        }
        return 3;
    }

    private ObjectNode layer(String cls, String name, String inbound) {
        ObjectNode l = json.createObjectNode();
        l.put("class_name", cls);
        l.put("name", name);
        l.putObject("config").put("name", name);
        ArrayNode nodes = l.putArray("inbound_nodes");
        if (inbound != null) {
            nodes.addArray().addArray().add(inbound).add(0).add(0).addObject();
        }
        configs.add(l);
        order.add(name);
        return l;
    }

    private void put(String layer, String weight, Object value) {
        weights.computeIfAbsent(layer, k -> new LinkedHashMap<>()).put(weight, value);
    }

    private float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private float[][][][] random(int a, int b, int c, int d) {
        float[][][][] v = new float[a][b][c][d];
        for (float[][][] x : v) {
            for (float[][] y : x) {
                for (float[] z : y) {
                    for (int i = 0; i < d; i++) {
                        z[i] = (float) random.nextGaussian() * 0.3f;
                    }
                }
            }
        }
        return v;
    }

    private void save(Path file) {
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            WritableGroup root = h5;
            if (spec.withConfig()) {
                ObjectNode model = json.createObjectNode();
                model.put("class_name", "Functional");
                ObjectNode config = model.putObject("config");
                config.put("name", "mobilenet_fixture");
                config.putArray("layers").addAll(configs);
                h5.putAttribute("model_config", model.toString());
                root = h5.putGroup("model_weights");
            }
            root.putAttribute("keras_version", "2.8.0");
            root.putAttribute("backend", "tensorflow");
            root.putAttribute("layer_names", order.toArray(new String[0]));
            for (String name : order) {
                WritableGroup group = root.putGroup(name);
                Map<String, Object> w = weights.get(name);
                if (w == null) {
                    // Keras writes an empty array here, which jHDF cannot write; the real-file test covers it.
                    continue;
                }
                group.putAttribute("weight_names", w.keySet().stream().map(k -> name + "/" + k + ":0")
                        .toArray(String[]::new));
                WritableGroup inner = group.putGroup(name);
                w.forEach((k, v) -> inner.putDataset(k + ":0", v));
            }
        }
    }
}
