package org.transfer4j.report;

import java.util.ArrayList;
import java.util.List;
import org.transfer4j.data.Sample;
import org.transfer4j.model.ImageClassifier;

/** Class probabilities for every test image: what top-k, top losses and the report are made of. */
public final class TestScoring {

    private TestScoring() {
    }

    /**
     * From probabilities already computed: no model is run.
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
     * By running a classifier on the images (its own ONNX Runtime session). Unreadable images are
     * left out with a note on stderr.
     *
     * @param classOf maps a sample's class index to the model's class id
     */
    public static List<ScoredImage> fromModel(ImageClassifier model, List<Sample> samples, int[] classOf) {
        List<ScoredImage> scored = new ArrayList<>();
        model.score(samples, (s, probabilities) ->
                scored.add(new ScoredImage(s.file(), classOf[s.classIndex()], probabilities)));
        return scored;
    }
}
