package org.transfer4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.transfer4j.data.Batch;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.data.Sample;
import org.transfer4j.data.SkippedFile;
import org.transfer4j.model.Prediction;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.weights.Tensor;

/** Class probabilities for every test image: what top-k, top losses and the report are made of. */
public final class TestScoring {

    private TestScoring() {
    }

    /**
     * From cached backbone features through the head's weights, no backbone pass: linear layers
     * {@code head.linear0}, {@code head.linear1}, ... with ReLU between them, then softmax.
     *
     * @param samples the images, parallel to {@code features}
     * @param features one feature row per image
     * @param headWeights the head's {@code head.linearN.weight [out, in]} and {@code .bias [out]}
     */
    public static List<ScoredImage> fromFeatures(List<Sample> samples, float[][] features,
                                                 Map<String, Tensor> headWeights) {
        if (samples.size() != features.length) {
            throw new IllegalArgumentException(samples.size() + " samples but " + features.length + " feature rows");
        }
        List<ScoredImage> scored = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            scored.add(new ScoredImage(samples.get(i).file(), samples.get(i).classIndex(),
                    Prediction.softmax(head(features[i], headWeights))));
        }
        return scored;
    }

    /**
     * By running a classifier ONNX model (backbone + head, with a probabilities output) on the images.
     * Unreadable images are left out with a note on stderr.
     *
     * @param classOf maps a sample's class index to the model's class id
     */
    public static List<ScoredImage> fromModel(byte[] onnx, Preprocessing preprocessing, List<Sample> samples,
                                              int[] classOf) {
        List<ScoredImage> scored = new ArrayList<>();
        try (OrtRunner runner = new OrtRunner(onnx, 0);
             BatchLoader loader = new BatchLoader(samples, preprocessing, BatchLoader.Options.defaults())) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                for (SkippedFile s : batch.skipped()) {
                    System.err.println("transfer4j: skipped " + s.file() + ": " + s.reason());
                }
                if (batch.size() == 0) {
                    continue;
                }
                float[][] probs = runner.run(batch.pixels(),
                        new long[] {batch.size(), 3, preprocessing.crop(), preprocessing.crop()})
                        .get(TrainedHead.PROBABILITIES);
                for (int i = 0; i < batch.size(); i++) {
                    Sample s = batch.samples().get(i);
                    scored.add(new ScoredImage(s.file(), classOf[s.classIndex()], probs[i]));
                }
            }
        }
        return scored;
    }

    private static float[] head(float[] x, Map<String, Tensor> weights) {
        float[] v = x;
        for (int layer = 0; weights.containsKey("head.linear" + layer + ".weight"); layer++) {
            if (layer > 0) {
                for (int j = 0; j < v.length; j++) {
                    v[j] = Math.max(0f, v[j]);
                }
            }
            Tensor w = weights.get("head.linear" + layer + ".weight");
            Tensor b = weights.get("head.linear" + layer + ".bias");
            int out = (int) w.shape()[0];
            int in = (int) w.shape()[1];
            if (in != v.length) {
                throw new IllegalArgumentException("head.linear" + layer + " takes " + in + " values, got " + v.length);
            }
            float[] y = new float[out];
            for (int o = 0; o < out; o++) {
                double sum = b == null ? 0 : b.data()[o];
                for (int i = 0; i < in; i++) {
                    sum += (double) w.data()[o * in + i] * v[i];
                }
                y[o] = (float) sum;
            }
            v = y;
        }
        if (v == x) {
            throw new IllegalArgumentException("no head.linear0.weight among the head weights " + weights.keySet());
        }
        return v;
    }

}
