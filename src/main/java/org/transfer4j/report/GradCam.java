package org.transfer4j.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.exec.DjlEngine;
import org.transfer4j.exec.DjlExecutor;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.train.HeadSpec;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.BackboneLoader;
import org.transfer4j.weights.SafetensorsReader;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.WeightStore;
import org.transfer4j.weights.Weights;
import org.transfer4j.weights.WeightsException;

/**
 * Grad-CAM (Selvaraju et al., 2017): which parts of an image a class score comes from. With A the
 * last convolutional feature map ({@code [K, h, w]}, the input of the global average pool that makes
 * the features) and y the class's logit, the heatmap is {@code ReLU(Σ_k α_k A_k)} with
 * {@code α_k = mean_ij ∂y/∂A_kij}. The gradient comes from running the graph on libtorch
 * ({@link DjlExecutor}) with A as a gradient-collecting leaf; every batch-norm layer stays in
 * inference mode.
 */
public final class GradCam implements AutoCloseable {

    private final DjlExecutor executor;
    private final String featureMap;
    private final int inputSize;

    /**
     * @param graph a classifier graph with a {@link Graph.Outputs#LOGITS} output and features made by
     *     a global average pool
     * @param weights its parameters
     * @throws IllegalArgumentException when the graph has no such feature map
     */
    public GradCam(Graph graph, Weights weights) {
        graph.output(Graph.Outputs.LOGITS);
        this.featureMap = featureMapOf(graph);
        this.inputSize = graph.inputSize();
        this.executor = new DjlExecutor(graph, weights);
    }

    /**
     * Grad-CAM for a saved model: the backbone with the bundle's head on top.
     *
     * @param manifest the bundle's manifest (head shape)
     * @param headWeights the bundle's {@code head.safetensors}
     * @param backbone the backbone the bundle was trained on
     */
    public static GradCam forBundle(Manifest manifest, Weights headWeights, Backbone backbone) {
        Manifest.HeadInfo h = manifest.head();
        TrainedHead head = new TrainedHead(HeadSpec.parse(h.hidden(), h.dropout()), h.inputWidth(), h.numClasses(),
                headWeights.asMap(), List.of(), new int[0]);
        Map<String, Tensor> all = new LinkedHashMap<>(backbone.weights().asMap());
        all.putAll(headWeights.asMap());
        return new GradCam(head.onTopOf(backbone.graph()), new Weights(all));
    }

    /**
     * Grad-CAM for a saved bundle folder: finds the backbone weights the manifest names (they are
     * not in the bundle) and reads the head from {@code head.safetensors}.
     *
     * @param weightsFile an explicit backbone weights file, or null to look in the store
     * @throws WeightsException when the backbone weights are missing or are not those the model was
     *     trained on
     */
    public static GradCam forBundle(Path dir, Manifest manifest, Path weightsFile, WeightStore store) {
        Manifest.BackboneInfo b = manifest.backbone();
        Backbone net = BackboneLoader.load(b.name(), weightsFile, store);
        if (b.weightsSha256() != null && !net.sha256().equals(b.weightsSha256())) {
            throw new WeightsException(net.file() + " (SHA-256 " + net.sha256().substring(0, 12) + "...) is not the "
                    + b.weightSet() + " file " + b.weightsFile() + " this model was trained on (SHA-256 "
                    + b.weightsSha256().substring(0, Math.min(12, b.weightsSha256().length()))
                    + "...); point --weights-dir at a folder holding " + b.weightsFile() + " or pass it with --weights");
        }
        return forBundle(manifest, SafetensorsReader.read(dir.resolve(ModelBundle.HEAD)), net);
    }

    /**
     * The value Grad-CAM explains: the input of the global average pool behind the features output.
     *
     * @throws IllegalArgumentException when the features do not come from a global average pool
     */
    public static String featureMapOf(Graph graph) {
        Map<String, Node> producer = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            producer.put(n.output(), n);
        }
        String value = graph.output(Graph.Outputs.FEATURES);
        Node node = producer.get(value);
        while (node != null && node.op() == Op.FLATTEN) {
            node = producer.get(node.inputs().get(0));
        }
        if (node == null || node.op() != Op.GLOBAL_AVG_POOL) {
            throw new IllegalArgumentException(graph.name() + ": Grad-CAM needs features made by a global average "
                    + "pool over a convolutional map, but they come from " + (node == null ? "the input" : node.op()));
        }
        return node.inputs().get(0);
    }

    /** The explained value's name, e.g. the last ReLU6 of MobileNetV2. */
    public String featureMap() {
        return featureMap;
    }

    /**
     * Heatmaps for a batch of preprocessed images.
     *
     * @param pixels {@code n·3·s·s} values, CHW per image, as the graph's input
     * @param targets the class to explain for each image (usually the predicted one)
     * @return one heatmap per image, at the feature map's resolution
     */
    public List<Heatmap> explain(float[] pixels, int[] targets) {
        int n = targets.length;
        if (pixels.length != n * 3 * inputSize * inputSize) {
            throw new IllegalArgumentException(n + " images of 3x" + inputSize + "x" + inputSize + " need "
                    + n * 3 * inputSize * inputSize + " values, got " + pixels.length);
        }
        try (NDManager batch = executor.manager().newSubManager()) {
            NDArray input = batch.create(pixels, new Shape(n, 3, inputSize, inputSize));
            NDArray map;
            NDArray gradient;
            try (GradientCollector collector = DjlEngine.get().newGradientCollector()) {
                Map<String, NDArray> out = executor.forwardWithGradientAt(input, featureMap);
                NDArray logits = out.get(Graph.Outputs.LOGITS);
                int classes = (int) logits.getShape().get(1);
                float[] oneHot = new float[n * classes];
                for (int i = 0; i < n; i++) {
                    if (targets[i] < 0 || targets[i] >= classes) {
                        throw new IllegalArgumentException("class " + targets[i] + " is not in 0.." + (classes - 1));
                    }
                    oneHot[i * classes + targets[i]] = 1f;
                }
                // images are independent (inference-mode batch norm), so one backward pass serves all
                NDArray score = logits.mul(batch.create(oneHot, new Shape(n, classes))).sum();
                collector.backward(score);
                map = out.get(featureMap).stopGradient();
                gradient = out.get(featureMap).getGradient();
            }
            long[] s = map.getShape().getShape();
            int h = (int) s[2];
            int w = (int) s[3];
            NDArray alpha = gradient.sum(new int[] {2, 3}, true).div(h * w);
            NDArray cam = map.mul(alpha).sum(new int[] {1}).maximum(0f);
            float[] flat = cam.toFloatArray();
            List<Heatmap> maps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] values = new float[h * w];
                System.arraycopy(flat, i * h * w, values, 0, h * w);
                maps.add(new Heatmap(h, w, values));
            }
            return maps;
        }
    }

    /**
     * A preprocessed image back in RGB (normalisation undone): exactly the crop a heatmap lies over.
     *
     * @param pixels one image, CHW, as {@link Preprocessing#apply} makes it
     */
    public static BufferedImage inputImage(float[] pixels, Preprocessing pre) {
        int size = pre.crop();
        int plane = size * size;
        float[] mean = pre.mean();
        float[] std = pre.std();
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < plane; i++) {
            int rgb = 0;
            for (int c = 0; c < 3; c++) {
                int v = Math.round((pixels[c * plane + i] * std[c] + mean[c]) * 255f);
                rgb = (rgb << 8) | Math.max(0, Math.min(255, v));
            }
            out.setRGB(i % size, i / size, rgb);
        }
        return out;
    }

    @Override
    public void close() {
        executor.close();
    }
}
