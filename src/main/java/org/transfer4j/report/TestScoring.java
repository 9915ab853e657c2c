package org.transfer4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.transfer4j.data.Batch;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.data.Sample;
import org.transfer4j.data.SkippedFile;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.train.TrainedHead;

/** Class probabilities for every test image: what top-k, top losses and the report are made of. */
public final class TestScoring {

    private TestScoring() {
    }

    /**
     * From probabilities already computed, e.g. by the last evaluation of training
     * ({@link TrainedHead#testProbabilities}): no model is run.
     *
     * @param samples the images, parallel to {@code probabilities}
     */
    public static List<ScoredImage> fromProbabilities(List<Sample> samples, float[][] probabilities) {
        if (samples.size() != probabilities.length) {
            throw new IllegalArgumentException(samples.size() + " samples but " + probabilities.length
                    + " rows of probabilities");
        }
        List<ScoredImage> scored = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            scored.add(new ScoredImage(samples.get(i).file(), samples.get(i).classIndex(), probabilities[i]));
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
