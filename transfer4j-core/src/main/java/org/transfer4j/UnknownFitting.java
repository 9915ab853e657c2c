package org.transfer4j;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.transfer4j.data.Sample;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.OpenSetRule;
import org.transfer4j.train.LabelledFeatures;

/**
 * Fits the {@link OpenSetRule} of a trained model on the features {@code model.onnx} gives: the cached
 * features of the training and validation splits when the backbone stayed frozen and the training
 * images were not augmented (they are the same features), else one pass of the exported model over
 * those images. The threshold reads held-out scores: the validation split's, and, when the cached
 * features are the model's own, the training images' leave-one-out scores as well (a fine-tuned
 * backbone has seen its training images, so there it reads the validation split alone). Never the
 * test split.
 */
final class UnknownFitting {

    private UnknownFitting() {
    }

    /**
     * The rule, or null (with a note) when there is no validation split.
     *
     * @param cachedAreFinal whether {@code data}'s training and validation features are those of the exported model
     */
    static OpenSetRule fit(DatasetFeatures data, ImageClassifier exported, boolean cachedAreFinal, double rate,
                           PrintStream log) {
        if (data.validationImages().isEmpty() || data.trainImages().isEmpty()) {
            log.println("unknown: no rule (it needs a validation split); the model never answers unknown");
            return null;
        }
        LabelledFeatures train = cachedAreFinal ? data.train() : throughModel(exported, data.trainImages());
        LabelledFeatures validation = cachedAreFinal ? data.validation()
                : throughModel(exported, data.validationImages());
        OpenSetRule rule = OpenSetRule.fit(train.features(), train.labels(), data.numClasses(),
                validation.features(), rate, cachedAreFinal);
        log.printf(Locale.ROOT, "unknown: cosine distance to the nearest class centroid > %.4f (the %.0f%% quantile "
                + "of %d validation and %d leave-one-out training scores; %.1f%% of the validation images rejected)%n",
                rule.threshold(), 100 * (1 - rate), rule.validationImages(), rule.heldOutTrainImages(),
                100 * rule.validationRejected());
        return rule;
    }

    private static LabelledFeatures throughModel(ImageClassifier model, List<Sample> images) {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        model.features(images, (sample, row) -> {
            rows.add(row);
            labels.add(sample.classIndex());
        });
        return new LabelledFeatures(rows.toArray(float[][]::new), labels.stream().mapToInt(Integer::intValue).toArray());
    }
}
