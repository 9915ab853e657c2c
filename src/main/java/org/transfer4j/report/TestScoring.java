package org.transfer4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.transfer4j.data.Batch;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.data.Sample;
import org.transfer4j.data.SkippedFile;
import org.transfer4j.model.Prediction;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.train.TrainedHead;

/** Class probabilities for every test image: what top-k, top losses and the report are made of. */
public final class TestScoring {

    private TestScoring() {
    }

    /**
     * From cached backbone features through the head alone ({@link TrainedHead#logits}), no backbone
     * pass.
     *
     * @param samples the images, parallel to {@code features}
     * @param features one feature row per image
     */
    public static List<ScoredImage> fromFeatures(List<Sample> samples, float[][] features, TrainedHead head) {
        if (samples.size() != features.length) {
            throw new IllegalArgumentException(samples.size() + " samples but " + features.length + " feature rows");
        }
        List<ScoredImage> scored = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            scored.add(new ScoredImage(samples.get(i).file(), samples.get(i).classIndex(),
                    Prediction.softmax(head.logits(features[i]))));
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
                        new long[] {batch.size(), 3, preprocessing.crop(), preprocessing.crop()},
                        Set.of(TrainedHead.PROBABILITIES)).get(TrainedHead.PROBABILITIES);
                for (int i = 0; i < batch.size(); i++) {
                    Sample s = batch.samples().get(i);
                    scored.add(new ScoredImage(s.file(), classOf[s.classIndex()], probs[i]));
                }
            }
        }
        return scored;
    }
}
