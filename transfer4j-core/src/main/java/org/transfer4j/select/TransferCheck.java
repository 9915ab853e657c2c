package org.transfer4j.select;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.Sample;
import org.transfer4j.doctor.Finding;
import org.transfer4j.train.FeatureCache;
import org.transfer4j.train.FeatureExtractor;
import org.transfer4j.weights.Backbone;

/**
 * The negative-transfer check: does the pretrained representation help on this folder, before any
 * training? Signals, each with its number:
 * <ol>
 *   <li>the leave-one-out kNN accuracy ({@link KnnAccuracy}, k = 20, cosine) of the backbone's features
 *       against the same kNN on the no-transfer baseline ({@link PixelBaseline}: downsampled raw pixels
 *       and a colour histogram), on the training split; and the share of the baseline's kNN errors that
 *       the features remove;</li>
 *   <li>how ImageNet-like the images look to the source model: the mean largest softmax probability of
 *       its ImageNet head ({@link ImagenetHead}, for weight sets that keep one), against the same figure
 *       on natural photos ({@link #NATURAL_PHOTOS_MAX_SOFTMAX}).</li>
 * </ol>
 * A third signal the issue names, the distance between the folder's batch-norm activation statistics
 * and the running statistics of the weights, is not computed: it needs a pass that records inner
 * activations, which the feature cache does not keep.
 *
 * <p>The verdict: {@code features do not help} when the features' kNN accuracy is not above the
 * baseline's by {@link #NO_HELP_MARGIN} (or is below 1 when the baseline's is 1); {@code far} when the features remove less than
 * {@link #FAR_ERROR_REDUCTION} of the baseline's errors, or the images look less than
 * {@link #FAR_LIKENESS_RATIO} as ImageNet-like as natural photos; else {@code close}. The thresholds were
 * chosen on measurements of the training splits of hymenoptera, cats_dogs and fashion_mnist_small
 * (README, "Will ImageNet help?"); the test splits took no part.
 */
public final class TransferCheck {

    /**
     * The features must beat the baseline's kNN accuracy by this much to help at all: about 1.5 standard
     * errors of a kNN accuracy near 0.8 on 900 images (not measured: no folder here is that far).
     */
    public static final double NO_HELP_MARGIN = 0.02;
    /**
     * Below this share of the baseline's kNN errors removed by the features, the folder is far from ImageNet.
     * Measured with the default weights (mobilenet_v2:torchscript-int8) on the training splits:
     * hymenoptera 0.85, cats_dogs 0.96, fashion_mnist_small 0.33; 0.6 is about midway.
     */
    public static final double FAR_ERROR_REDUCTION = 0.6;
    /**
     * Below this ratio of the natural photos' mean max-softmax, the images do not look like ImageNet's.
     * Measured as {@link #FAR_ERROR_REDUCTION}: hymenoptera 1.36, cats_dogs 0.91, fashion_mnist_small 0.59.
     */
    public static final double FAR_LIKENESS_RATIO = 0.75;

    /**
     * The mean max-softmax of a weight set's ImageNet head on natural photos: the 1,121 training images of
     * hymenoptera and cats_dogs together (seed 42's split), measured by {@code TransferCheckTest}. Two of the
     * three folders the thresholds were chosen on are in it, so this reference is not independent of them.
     * Weight sets not listed show their figure without a reference, and the verdict rests on the kNN signal.
     */
    public static final Map<String, Double> NATURAL_PHOTOS_MAX_SOFTMAX = Map.of("mobilenet_v2:torchscript-int8", 0.5612);

    /**
     * The check looks at this many training images at most: larger folders are sampled
     * ({@link #sample(int)}). The leave-one-out kNN compares every pair (an n × n similarity matrix:
     * 32 MB at 2,000 images, 10 GB at 36,000), so without a bound its time and memory grow with the
     * square of the folder. The folders the thresholds were set on have 221 and 900 training images.
     */
    public static final int MAX_IMAGES = 2000;

    /** What the check concludes. */
    public enum Verdict {
        CLOSE("close", "ImageNet features suit these images: train the head on frozen features (the default), "
                + "and fine-tune the top blocks only if the validation accuracy asks for it"),
        FAR("far", "these images are far from ImageNet: fine-tune more blocks (--mode finetune --unfreeze 6 or more, "
                + "with --augment standard) and compare the result with the frozen head on the validation split"),
        NO_HELP("features do not help", "the pretrained features do no better than raw pixels here: fine-tune the "
                + "whole network (--mode finetune --unfreeze 18) or train a small network from scratch, and check "
                + "that the classes differ in what the images show");

        private final String label;
        private final String advice;

        Verdict(String label, String advice) {
            this.label = label;
            this.advice = advice;
        }

        /** The verdict as shown: {@code close}, {@code far}, {@code features do not help}. */
        public String label() {
            return label;
        }

        /** One plain sentence of advice. */
        public String advice() {
            return advice;
        }
    }

    /**
     * The signals and the verdict.
     *
     * @param backbone which weights were checked ({@code mobilenet_v2:torchscript-int8})
     * @param images training images scored
     * @param featureKnn leave-one-out kNN accuracy on the backbone's features
     * @param baselineKnn the same on the raw-pixel baseline
     * @param maxSoftmax the mean max-softmax of the ImageNet head on these images, NaN without a head
     * @param referenceMaxSoftmax the same on natural photos, NaN when not measured for these weights
     * @param verdict what it means
     */
    public record Result(String backbone, int images, double featureKnn, double baselineKnn, double maxSoftmax,
                         double referenceMaxSoftmax, Verdict verdict) {

        /**
         * The share of the baseline's kNN errors that the features remove (negative: they add errors); when
         * the baseline makes none, 1 if the features make none either, else -1.
         */
        public double errorReduction() {
            double baselineErrors = 1 - baselineKnn;
            if (baselineErrors == 0) {
                return featureKnn == 1 ? 1 : -1;
            }
            return (baselineErrors - (1 - featureKnn)) / baselineErrors;
        }

        /** How ImageNet-like against natural photos: maxSoftmax / referenceMaxSoftmax, NaN when unknown. */
        public double likenessRatio() {
            return maxSoftmax / referenceMaxSoftmax;
        }

        /** The signals in one line, each with its number. */
        public String summary() {
            String likeness = Double.isNaN(maxSoftmax) ? "no ImageNet head to ask"
                    : Double.isNaN(referenceMaxSoftmax)
                    ? String.format(Locale.ROOT, "ImageNet head's mean max-softmax %.3f (no natural-photo reference for "
                            + "these weights)", maxSoftmax)
                    : String.format(Locale.ROOT, "ImageNet head's mean max-softmax %.3f against %.3f on natural photos "
                            + "(%.2f)", maxSoftmax, referenceMaxSoftmax, likenessRatio());
            return String.format(Locale.ROOT, "transfer check (%s, %d training images): %s; kNN accuracy %.3f on the "
                            + "features against %.3f on raw pixels (%.0f %% of the pixel baseline's errors removed); %s",
                    backbone, images, verdict.label(), featureKnn, baselineKnn, 100 * errorReduction(), likeness);
        }

        /** As a data-check finding: a note when close, a warning otherwise. */
        public Finding finding() {
            return new Finding(verdict == Verdict.CLOSE ? Finding.Severity.NOTE : Finding.Severity.WARNING,
                    "transfer", summary(), List.of(), verdict.advice());
        }
    }

    private final KnnAccuracy knn;

    /** kNN with DINO's k = 20 and temperature. */
    public TransferCheck() {
        this(new KnnAccuracy());
    }

    /** With another kNN. */
    public TransferCheck(KnnAccuracy knn) {
        this.knn = knn;
    }

    /**
     * Computes the signals for a backbone's features of some training images (at most {@link #MAX_IMAGES}
     * of them, {@link #sample(int)}) and decides: the baseline
     * descriptions go through the feature cache ({@link PixelBaseline#CACHE_KEY}), the ImageNet
     * head's probabilities come from the features.
     *
     * @param net the backbone that made the features
     * @param samples the images, in the order of {@code features}
     * @param features their features
     * @param cacheRoot the feature cache's folder
     * @param hashes the run's content hashes
     * @param loading decoding threads (the progress bar is not shown)
     */
    public Result check(Backbone net, List<Sample> samples, float[][] features, Path cacheRoot, ContentHashes hashes,
                        BatchLoader.Options loading) {
        if (samples.size() != features.length) {
            throw new IllegalArgumentException(samples.size() + " images but " + features.length + " feature rows");
        }
        if (samples.size() > MAX_IMAGES) {
            int[] picked = sample(samples.size());
            List<Sample> s = new ArrayList<>(picked.length);
            float[][] f = new float[picked.length][];
            for (int i = 0; i < picked.length; i++) {
                s.add(samples.get(picked[i]));
                f[i] = features[picked[i]];
            }
            return check(net, s, f, cacheRoot, hashes, loading);
        }
        FeatureExtractor.Result pixels = new FeatureExtractor(new PixelBaseline(), PixelBaseline.PREPROCESSING,
                new FeatureCache(cacheRoot, PixelBaseline.CACHE_KEY, PixelBaseline.WIDTH), hashes,
                loading.withProgress(false)).extract(samples);
        List<float[]> f = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (pixels.rows()[i] != null) {
                f.add(features[i]);
                b.add(pixels.rows()[i]);
                labels.add(samples.get(i).classIndex());
            }
        }
        float[][] kept = f.toArray(float[][]::new);
        double maxSoftmax = ImagenetHead.of(net).map(h -> h.meanMaxSoftmax(kept)).orElse(Double.NaN);
        return fit(net.set().id(), kept, b.toArray(float[][]::new), labels.stream().mapToInt(Integer::intValue).toArray(),
                maxSoftmax);
    }

    /**
     * The images the check looks at out of n: all of them up to {@link #MAX_IMAGES}, else that many evenly
     * spaced through the list (row {@code floor(i · n / MAX_IMAGES)}), which keeps each class's share of a
     * list ordered by class, and needs no seed.
     *
     * @return increasing row indices
     */
    public static int[] sample(int n) {
        int m = Math.min(n, MAX_IMAGES);
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) {
            rows[i] = (int) ((long) i * n / m);
        }
        return rows;
    }

    /**
     * Scores the signals and decides.
     *
     * @param backbone which weights made the features
     * @param features the backbone's features of the training images
     * @param baseline the {@link PixelBaseline} descriptions of the same images, same order
     * @param labels their classes
     * @param maxSoftmax the ImageNet head's mean max-softmax on them, NaN without a head
     * @throws IllegalArgumentException when the rows do not match
     */
    public Result fit(String backbone, float[][] features, float[][] baseline, int[] labels, double maxSoftmax) {
        if (features.length != baseline.length || features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " feature rows, " + baseline.length
                    + " baseline rows and " + labels.length + " labels: they must match");
        }
        double featureKnn = knn.fit(features, labels).accuracy();
        double baselineKnn = knn.fit(baseline, labels).accuracy();
        double reference = NATURAL_PHOTOS_MAX_SOFTMAX.getOrDefault(backbone, Double.NaN);
        Result provisional = new Result(backbone, labels.length, featureKnn, baselineKnn, maxSoftmax, reference,
                Verdict.CLOSE);
        Verdict verdict;
        if (featureKnn < Math.min(1, baselineKnn + NO_HELP_MARGIN)) {
            verdict = Verdict.NO_HELP;
        } else if (provisional.errorReduction() < FAR_ERROR_REDUCTION || provisional.likenessRatio() < FAR_LIKENESS_RATIO) {
            verdict = Verdict.FAR;
        } else {
            verdict = Verdict.CLOSE;
        }
        return new Result(backbone, labels.length, featureKnn, baselineKnn, maxSoftmax, reference, verdict);
    }
}
