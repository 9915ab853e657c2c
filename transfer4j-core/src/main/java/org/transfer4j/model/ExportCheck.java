package org.transfer4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.transfer4j.data.Sample;

/**
 * Checks that an exported {@code model.onnx} computes what the training-time model computed: the
 * images of a split go through ONNX Runtime, and the largest absolute difference from the
 * probabilities that training (DJL, libtorch) gave the same images is recorded, and fails the save
 * above {@link #TOLERANCE}.
 */
public final class ExportCheck {

    /** The largest difference in a class probability that a bundle may show. */
    public static final double TOLERANCE = 1e-4;

    private ExportCheck() {
    }

    /**
     * Scores the images with the exported model and compares.
     *
     * @param exported the classifier as exported
     * @param split the split's name, for the record and the message
     * @param images the split's images (all readable: they were read in training)
     * @param trained the training-time probabilities of the same images, in order
     * @return the parity record
     * @throws ModelException when a probability differs by more than {@link #TOLERANCE}
     */
    public static RunRecord.ExportParity verify(ImageClassifier exported, String split, List<Sample> images,
                                                float[][] trained) {
        List<float[]> scored = new ArrayList<>();
        exported.score(images, (sample, probabilities) -> scored.add(probabilities));
        return compare(split, scored.toArray(new float[0][]), trained);
    }

    /**
     * Compares two sets of probabilities.
     *
     * @throws ModelException when they differ by more than {@link #TOLERANCE}, or in size
     */
    public static RunRecord.ExportParity compare(String split, float[][] exported, float[][] trained) {
        if (exported.length != trained.length) {
            throw new ModelException("export check: model.onnx scored " + exported.length + " " + split
                    + " images but training scored " + trained.length + "; an image could not be read twice alike");
        }
        double worst = 0;
        for (int i = 0; i < trained.length; i++) {
            for (int k = 0; k < trained[i].length; k++) {
                worst = Math.max(worst, Math.abs((double) exported[i][k] - trained[i][k]));
            }
        }
        if (!(worst <= TOLERANCE)) {
            throw new ModelException(String.format(Locale.ROOT, "export check failed: model.onnx's class probabilities "
                    + "differ from the trained model's by up to %.3g on the %s split (%d images; at most %.0e allowed); "
                    + "the exported graph does not compute what was trained, so the bundle was not saved", worst, split,
                    trained.length, TOLERANCE));
        }
        return new RunRecord.ExportParity(split, trained.length, worst, TOLERANCE);
    }
}
