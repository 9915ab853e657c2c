package org.transfer4j.report;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.train.HeadSpec;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.weights.SafetensorsReader;
import org.transfer4j.weights.Weights;

/**
 * Grad-CAM (Selvaraju et al., 2017): which parts of an image a class score comes from. With A the
 * last convolutional feature map ({@code [K, h, w]}, the input of the global average pool that makes
 * the features f) and y the class's logit, the heatmap is {@code ReLU(Σ_k α_k A_k)} with
 * {@code α_k = mean_ij ∂y/∂A_kij}.
 *
 * <p>Because {@code f_k = mean_ij A_kij}, every position gets the same gradient,
 * {@code ∂y/∂A_kij = (1/hw) ∂y/∂f_k}, so {@code α_k = (1/hw) ∂y/∂f_k}: the gradient of the head
 * alone ({@link TrainedHead#logitGradient}). The backbone only has to run forward, on ONNX Runtime,
 * with the map as an output ({@link Graph.Outputs#FEATURE_MAP}, which every saved classifier
 * exports); no autograd engine is involved.
 */
public final class GradCam implements AutoCloseable {

    private final OrtRunner runner;
    /** Whether {@link #close} closes the runner: not when it is a loaded classifier's own session. */
    private final boolean ownsRunner;
    private final TrainedHead head;
    private final int channels;
    private final int height;
    private final int width;

    /**
     * @param onnx a model with a {@link Graph.Outputs#FEATURE_MAP} output (channels = the head's
     *     input width), e.g. a saved classifier's {@code model.onnx}
     * @param head the head on top of the pooled map
     * @throws IllegalArgumentException when the model has no such output
     */
    public GradCam(byte[] onnx, TrainedHead head) {
        this(new OrtRunner(onnx, 0), true, head);
    }

    private GradCam(OrtRunner runner, boolean ownsRunner, TrainedHead head) {
        this.head = head;
        this.runner = runner;
        this.ownsRunner = ownsRunner;
        if (!runner.outputNames().contains(Graph.Outputs.FEATURE_MAP)) {
            close();
            throw new IllegalArgumentException("the model has no " + Graph.Outputs.FEATURE_MAP + " output (it has "
                    + runner.outputNames() + "): Grad-CAM needs a backbone whose features are a global average pool, "
                    + "and a model saved by this version of transfer4j");
        }
        long[] shape = runner.outputShape(Graph.Outputs.FEATURE_MAP);
        this.channels = (int) shape[1];
        this.height = (int) shape[2];
        this.width = (int) shape[3];
        if (channels != head.inputWidth()) {
            close();
            throw new IllegalArgumentException("the feature map has " + channels + " channels but the head reads "
                    + head.inputWidth() + " features");
        }
    }

    /**
     * Grad-CAM for a loaded model, on the model's own ONNX Runtime session, with the head in
     * {@code head.safetensors}.
     *
     * @param dir the bundle folder
     * @throws IllegalArgumentException when the model does not export its feature map
     */
    public static GradCam forBundle(Path dir, ImageClassifier model) {
        return forModel(model, model.head());
    }

    /**
     * Grad-CAM for a classifier in memory, on its own ONNX Runtime session.
     *
     * @throws IllegalArgumentException when the model does not export its feature map
     */
    public static GradCam forModel(ImageClassifier model, TrainedHead head) {
        return new GradCam(model.session(), false, head);
    }

    /**
     * Heatmaps for a batch of preprocessed images.
     *
     * @param pixels {@code n·3·s·s} values, CHW per image, as the model's input
     * @param targets the class to explain for each image (usually the predicted one)
     * @return one heatmap per image, at the feature map's resolution
     */
    public List<Heatmap> explain(float[] pixels, int[] targets) {
        int n = targets.length;
        int size = (int) Math.round(Math.sqrt(pixels.length / 3.0 / Math.max(1, n)));
        if (n == 0 || pixels.length != n * 3 * size * size) {
            throw new IllegalArgumentException(n + " square RGB images cannot have " + pixels.length + " values");
        }
        float[][] maps = runner.run(pixels, new long[] {n, 3, size, size}, Set.of(Graph.Outputs.FEATURE_MAP))
                .get(Graph.Outputs.FEATURE_MAP);
        int cells = height * width;
        List<Heatmap> result = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] map = maps[i];
            float[] pooled = new float[channels];
            for (int k = 0; k < channels; k++) {
                double sum = 0;
                for (int c = 0; c < cells; c++) {
                    sum += map[k * cells + c];
                }
                pooled[k] = (float) (sum / cells);
            }
            float[] gradient = head.logitGradient(pooled, targets[i]);
            float[] cam = new float[cells];
            for (int k = 0; k < channels; k++) {
                float alpha = gradient[k] / cells;
                if (alpha != 0f) {
                    for (int c = 0; c < cells; c++) {
                        cam[c] += alpha * map[k * cells + c];
                    }
                }
            }
            for (int c = 0; c < cells; c++) {
                cam[c] = Math.max(0f, cam[c]);
            }
            result.add(new Heatmap(height, width, cam));
        }
        return result;
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
        if (ownsRunner) {
            runner.close();
        }
    }
}
