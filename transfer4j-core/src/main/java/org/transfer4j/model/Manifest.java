package org.transfer4j.model;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a model bundle: everything needed to use the model and to know how it
 * was made. Written as JSON, never Java serialisation; fields a reader does not know are ignored, so
 * an older transfer4j of the same format version reads a newer bundle.
 *
 * @param formatVersion bundle format version, checked on load
 * @param classes class names, index = output index
 * @param backbone which pretrained network and weights the features come from
 * @param preprocessing how images are prepared
 * @param head the classifier head
 * @param training every setting that changes the result, and the three splits
 * @param run what training measured: history, choices, evaluations per split, parity, timings
 * @param provenance versions, machine, time and the hashes of the bundle's weight files
 * @param unknown the open-set rule fitted on the validation split, with its figures; null (an older
 *     bundle, or no validation split) when the model never answers unknown
 * @param semi the unlabeled folder and what it became ({@code train --unlabeled}); null without one
 */
public record Manifest(int formatVersion, List<String> classes, BackboneInfo backbone,
                       PreprocessingInfo preprocessing, HeadInfo head, TrainingInfo training,
                       RunRecord run, Provenance provenance, OpenSetRule unknown, SemiInfo semi) {

    /** A manifest without an unknown rule or unlabeled folder. */
    public Manifest(int formatVersion, List<String> classes, BackboneInfo backbone, PreprocessingInfo preprocessing,
                    HeadInfo head, TrainingInfo training, RunRecord run, Provenance provenance) {
        this(formatVersion, classes, backbone, preprocessing, head, training, run, provenance, null, null);
    }

    /** The same manifest with another unknown rule (null for none). */
    public Manifest withUnknown(OpenSetRule rule) {
        return new Manifest(formatVersion, classes, backbone, preprocessing, head, training, run, provenance, rule, semi);
    }

    /** The same manifest with another record of the unlabeled folder (null for none). */
    public Manifest withSemi(SemiInfo info) {
        return new Manifest(formatVersion, classes, backbone, preprocessing, head, training, run, provenance, unknown, info);
    }

    /**
     * The unlabeled folder of a semi-supervised run and what it became.
     *
     * @param folder the folder (absolute)
     * @param fingerprint SHA-256 over the sorted (relative path, content hash) lines of the images used
     * @param images how many of its images were used
     * @param excluded how many were left out for having the content of a labelled image
     * @param skipped how many files could not be read
     * @param method spread, pseudo or none
     * @param choice the setting chosen on the validation split and its score, in words
     * @param labelCounts how many unlabeled images got each class (class name, in class order)
     */
    public record SemiInfo(String folder, String fingerprint, int images, int excluded, int skipped, String method,
                           String choice, Map<String, Integer> labelCounts) {

        /** One line for reports: method, choice and the labels given. */
        public String summary() {
            StringBuilder counts = new StringBuilder();
            labelCounts.forEach((k, v) -> counts.append(counts.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
            return method + " on " + images + " unlabeled images from " + folder + " (" + excluded
                    + " left out as copies of labelled images, " + skipped + " unreadable); " + choice
                    + "; labels given: " + (counts.length() == 0 ? "none" : counts);
        }
    }

    /**
     * The bundle format this version of transfer4j writes and reads. 2: three splits, the typed run
     * record and the export parity (format 1 kept metrics in an untyped map).
     */
    public static final int FORMAT_VERSION = 2;

    /**
     * Backbone and weights.
     *
     * @param precision the number format the backbone ran in for the head's features, and that
     *     {@code model.onnx} computes in: {@code fp32} or {@code int8}; null in bundles made before it was
     *     recorded (they are fp32 unless they hold {@link ModelBundle#CALIBRATION})
     * @param calibration for int8, how the activation ranges were measured and their id (the feature
     *     cache key's part); null for fp32
     * @param adaptedBatchNorm how the batch-norm statistics were re-estimated on target images (AdaBN);
     *     null when the weights file's are used
     */
    public record BackboneInfo(String name, String weightSet, String architecture, String weightsFile,
                               String weightsSha256, int featureWidth, String precision, String calibration,
                               AdaptedBatchNorm adaptedBatchNorm) {

        /** Backbone information of a float32 backbone. */
        public BackboneInfo(String name, String weightSet, String architecture, String weightsFile,
                            String weightsSha256, int featureWidth) {
            this(name, weightSet, architecture, weightsFile, weightsSha256, featureWidth, "fp32", null, null);
        }
    }

    /**
     * Batch-norm running statistics re-estimated on target images ({@code --adapt-bn}): model.onnx holds them.
     *
     * @param images how many images (training, validation and unlabeled; never test) they were measured on
     * @param batchSize images per batch
     * @param seed the seed that drew the images
     * @param statisticsSha256 SHA-256 of the new statistics (part of the feature cache key)
     */
    public record AdaptedBatchNorm(int images, int batchSize, long seed, String statisticsSha256) {
    }

    /** Image preparation, as {@link org.transfer4j.data.Preprocessing}. */
    public record PreprocessingInfo(int resize, int crop, boolean squash, float[] mean, float[] std) {
    }

    /** The head. */
    public record HeadInfo(String hidden, float dropout, int inputWidth, int numClasses) {
    }

    /**
     * How it was trained: every setting that changes the result.
     *
     * @param mode frozen or finetune
     * @param epochs head epochs
     * @param schedule learning-rate schedule of both stages
     * @param warmup share of the steps warming up
     * @param classWeights whether the loss weighs classes by inverse frequency
     * @param fineTune the fine-tuning settings; null when frozen
     * @param augmentation preset, views and parameters; null without augmentation
     * @param maxPixels largest width × height read
     * @param datasetFingerprint SHA-256 of the sorted list of (relative path, content hash) of every image used
     */
    public record TrainingInfo(String mode, int epochs, int batchSize, float learningRate, String optimizer,
                               float weightDecay, long seed, String schedule, double warmup, boolean classWeights,
                               float labelSmoothing, FineTuneInfo fineTune, AugmentationInfo augmentation,
                               long maxPixels, String dataset, String datasetFingerprint, SplitInfo split) {
    }

    /** Fine-tuning settings, as {@link org.transfer4j.train.FineTuneConfig}. */
    public record FineTuneInfo(int unfreeze, int epochs, float learningRate, float backboneLrMult, boolean freezeBn,
                               int patience) {
    }

    /** Augmentation of the training images. */
    public record AugmentationInfo(String preset, int views, long seed, Object parameters) {
    }

    /**
     * The three splits' files, relative to the dataset folder.
     *
     * @param layout how the splits were made, in words
     * @param testFraction share held out as the test split when the folder had no val/test folder
     * @param validationFraction share of the training images carved out as the validation split
     */
    public record SplitInfo(String layout, double testFraction, double validationFraction, List<String> train,
                            List<String> validation, List<String> test) {
    }

    /**
     * Versions from the build and the loaded libraries, machine, time, and the bundle's hashes.
     *
     * @param libtorch the libtorch version DJL loaded for training
     * @param modelSha256 SHA-256 of {@code model.onnx}
     * @param headSha256 SHA-256 of {@code head.safetensors}
     * @param device where the backbone ran ({@code cpu}, {@code cuda:0}; null in bundles made before
     *     {@code --device})
     */
    public record Provenance(String transfer4j, String djl, String libtorch, String onnxruntime, String java,
                             String os, String machine, String created, String modelSha256, String headSha256,
                             String device) {

        /** Provenance without a device (as bundles made before {@code --device} have it). */
        public Provenance(String transfer4j, String djl, String libtorch, String onnxruntime, String java, String os,
                          String machine, String created, String modelSha256, String headSha256) {
            this(transfer4j, djl, libtorch, onnxruntime, java, os, machine, created, modelSha256, headSha256, null);
        }
    }

    /** A map view of the provenance for display. */
    public static Map<String, String> describe(Provenance p) {
        if (p == null) {
            return Map.of();
        }
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("transfer4j", p.transfer4j());
        m.put("djl", p.djl());
        m.put("libtorch", p.libtorch());
        m.put("onnxruntime", p.onnxruntime());
        m.put("java", p.java());
        m.put("os", p.os());
        m.put("machine", p.machine());
        m.put("created", p.created());
        if (p.device() != null) {
            m.put("device", p.device());
        }
        return m;
    }
}
