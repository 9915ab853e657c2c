package org.transfer4j.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.Augmentation;
import org.transfer4j.data.Batch;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.data.Sample;
import org.transfer4j.data.SkippedFile;
import org.transfer4j.exec.OrtRunner;

/**
 * Turns images into backbone features: each file is hashed and looked up in the
 * {@link FeatureCache}; only the misses are decoded (by a {@link BatchLoader}, in parallel and
 * ahead of inference) and run through the backbone on ONNX Runtime, and their features are cached.
 * Any other function of the preprocessed pixels can stand in for the backbone (the raw-pixel baseline
 * of {@code select.PixelBaseline}), with the same cache.
 */
public final class FeatureExtractor {

    /** What turns a batch of preprocessed images into one feature row per image. */
    @FunctionalInterface
    public interface Features {
        /**
         * @param pixels the batch, NCHW, as the preprocessing wrote it
         * @param shape {@code [n, 3, crop, crop]}
         * @return one row per image
         */
        float[][] of(float[] pixels, long[] shape);
    }

    /**
     * Features of a list of samples.
     *
     * @param rows features per input sample, in input order; null where the file was skipped
     * @param skipped unreadable files with reasons
     * @param fromCache how many came from the cache
     * @param computed how many went through the backbone
     */
    public record Result(float[][] rows, List<SkippedFile> skipped, int fromCache, int computed) {

        /** The rows of the samples that were read, with their class labels, in input order. */
        public LabelledFeatures labelled(List<Sample> samples) {
            List<Sample> read = kept(samples);
            float[][] features = new float[read.size()][];
            int k = 0;
            for (float[] row : rows) {
                if (row != null) {
                    features[k++] = row;
                }
            }
            return new LabelledFeatures(features, read.stream().mapToInt(Sample::classIndex).toArray());
        }

        /** The samples whose file was read, in input order. */
        public List<Sample> kept(List<Sample> samples) {
            List<Sample> read = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                if (rows[i] != null) {
                    read.add(samples.get(i));
                }
            }
            return read;
        }
    }

    private final Features backbone;
    private final Preprocessing preprocessing;
    private final FeatureCache cache;
    private final ContentHashes hashes;
    private final BatchLoader.Options loading;

    /**
     * @param backbone an ONNX Runtime session with a {@code features} output
     * @param preprocessing the backbone's preprocessing
     * @param cache where features are kept between runs
     * @param hashes the run's content hashes (the cache key of each image)
     * @param loading batch size, decoding threads, progress bar
     */
    public FeatureExtractor(OrtRunner backbone, Preprocessing preprocessing, FeatureCache cache, ContentHashes hashes,
                            BatchLoader.Options loading) {
        this((pixels, shape) -> backbone.run(pixels, shape).get(Graph.Outputs.FEATURES), preprocessing, cache, hashes,
                loading);
    }

    /**
     * @param features computes the features of a batch
     * @param preprocessing what the function expects of an image
     * @param cache where features are kept between runs (keyed apart from every backbone's)
     * @param hashes the run's content hashes (the cache key of each image)
     * @param loading batch size, decoding threads, progress bar
     */
    public FeatureExtractor(Features features, Preprocessing preprocessing, FeatureCache cache, ContentHashes hashes,
                            BatchLoader.Options loading) {
        this.backbone = features;
        this.preprocessing = preprocessing;
        this.cache = cache;
        this.hashes = hashes;
        this.loading = loading;
    }

    /** Extracts features for the samples, from the cache where possible. */
    public Result extract(List<Sample> samples) {
        return extract(samples, cache, null, 0);
    }

    /**
     * Extracts the features of one augmented view of each sample (view {@code view} of
     * {@code views}), cached apart from the plain features and from every other view.
     */
    public Result extract(List<Sample> samples, AugmentedViews views, int view) {
        if (!views.active()) {
            return extract(samples);
        }
        if (view < 0 || view >= views.count()) {
            throw new IllegalArgumentException("view " + view + " of " + views.count());
        }
        return extract(samples, cache.variant(views.cacheSuffix(view)), views, view);
    }

    private Result extract(List<Sample> samples, FeatureCache cache, AugmentedViews views, int view) {
        int n = samples.size();
        float[][] rows = new float[n][];
        String[] keys = new String[n];
        List<SkippedFile> skipped = new ArrayList<>();
        List<Sample> misses = new ArrayList<>();
        List<Integer> missIndex = new ArrayList<>();
        String[] unreadable = new String[n];
        // hashing and cache reads are independent per file: both cores, then the results in order
        IntStream.range(0, n).parallel().forEach(i -> {
            try {
                keys[i] = hashes.hash(samples.get(i).file());
                rows[i] = cache.get(keys[i]).orElse(null);
            } catch (IOException e) {
                unreadable[i] = "cannot be read (" + e.getMessage() + ")";
            }
        });
        int fromCache = 0;
        for (int i = 0; i < n; i++) {
            if (unreadable[i] != null) {
                skipped.add(new SkippedFile(samples.get(i).file(), unreadable[i]));
            } else if (rows[i] != null) {
                fromCache++;
            } else {
                misses.add(samples.get(i));
                missIndex.add(i);
            }
        }
        int computed = 0;
        if (!misses.isEmpty()) {
            BatchLoader.Transform transform = views == null ? null : (rgb, index, out, offset) -> {
                String hash = keys[missIndex.get(index)];
                views.augmentation().apply(rgb, preprocessing, Augmentation.viewRandom(views.seed(), hash, view), out,
                        offset);
            };
            try (BatchLoader loader = new BatchLoader(misses, preprocessing, loading, transform)) {
                while (loader.hasNext()) {
                    Batch batch = loader.next();
                    skipped.addAll(batch.skipped());
                    if (batch.size() == 0) {
                        continue;
                    }
                    float[][] features = backbone.of(batch.pixels(),
                            new long[] {batch.size(), 3, preprocessing.crop(), preprocessing.crop()});
                    loader.recycle(batch);
                    for (int k = 0; k < batch.size(); k++) {
                        int i = missIndex.get(batch.positions()[k]);
                        rows[i] = features[k];
                        cache.put(keys[i], features[k]);
                    }
                    computed += batch.size();
                }
            }
        }
        return new Result(rows, skipped, fromCache, computed);
    }
}
