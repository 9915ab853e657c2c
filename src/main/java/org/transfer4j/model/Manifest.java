package org.transfer4j.model;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a model bundle: everything needed to use the model and to know how it
 * was made. Written as JSON, never Java serialisation.
 *
 * @param formatVersion bundle format version, checked on load
 * @param classes class names, index = output index
 * @param backbone which pretrained network and weights the features come from
 * @param preprocessing how images are prepared
 * @param head the classifier head
 * @param training hyper-parameters, seed and split
 * @param metrics final and per-epoch metrics
 * @param provenance versions, machine and time
 */
public record Manifest(int formatVersion, List<String> classes, BackboneInfo backbone,
                       PreprocessingInfo preprocessing, HeadInfo head, TrainingInfo training,
                       Map<String, Object> metrics, Map<String, String> provenance) {

    /** The bundle format this version of transfer4j writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** Backbone and weights. */
    public record BackboneInfo(String name, String weightSet, String architecture, String weightsFile,
                               String weightsSha256, int featureWidth) {
    }

    /** Image preparation, as {@link org.transfer4j.data.Preprocessing}. */
    public record PreprocessingInfo(int resize, int crop, boolean squash, float[] mean, float[] std) {
    }

    /** The head. */
    public record HeadInfo(String hidden, float dropout, int inputWidth, int numClasses) {
    }

    /** How it was trained. */
    public record TrainingInfo(String mode, int epochs, int batchSize, float learningRate, String optimizer,
                               float weightDecay, long seed, String dataset, SplitInfo split) {
    }

    /** Which files were used for training and testing, relative to the dataset folder. */
    public record SplitInfo(String layout, double valFraction, List<String> train, List<String> test) {
    }
}
