package org.transfer4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes and preprocesses images on a thread pool into {@link Batch}es, in input order, while the
 * consumer works on the previous batch. At most {@code batchesAhead} batches are prepared beyond the
 * one handed out, which bounds memory. Unreadable images are left out of their batch and listed in
 * {@link Batch#skipped()} and {@link #skipped()}.
 *
 * <pre>{@code
 * try (BatchLoader loader = new BatchLoader(folder.train(), preprocessing, BatchLoader.Options.defaults())) {
 *     while (loader.hasNext()) {
 *         Batch batch = loader.next();
 *         float[][] features = runner.run(batch.pixels(), new long[] {batch.size(), 3, 224, 224});
 *         loader.recycle(batch); // optional: the next batch reuses its array
 *     }
 * }
 * }</pre>
 */
public final class BatchLoader implements Iterator<Batch>, AutoCloseable {

    /**
     * How a loader works.
     *
     * @param batchSize images per batch (the last batch may be smaller)
     * @param threads decoding threads
     * @param batchesAhead batches prepared beyond the one the consumer holds
     * @param maxPixels pixel limit per image, see {@link DecodeOptions#maxPixels()}
     * @param progress whether to show a {@link ProgressBar} on stderr
     * @param reducedScale whether images at least 4× larger than the resize target are decoded at
     *     reduced scale ({@link DecodeOptions#targetShorterSide()}): several times faster on large
     *     photos, at the price of a small difference from torchvision on those images (mean 0.017,
     *     max 0.34 after normalisation, measured on two 1500-2000 px photos); off for exact parity
     */
    public record Options(int batchSize, int threads, int batchesAhead, long maxPixels, boolean progress,
            boolean reducedScale) {

        public Options {
            if (batchSize < 1 || threads < 1 || batchesAhead < 0) {
                throw new IllegalArgumentException("need batchSize >= 1, threads >= 1, batchesAhead >= 0; got "
                        + batchSize + ", " + threads + ", " + batchesAhead);
            }
        }

        /** Batches of 32, one thread per core, 2 batches ahead, 100 Mpx limit, progress shown, reduced scale. */
        public static Options defaults() {
            return new Options(32, Runtime.getRuntime().availableProcessors(), 2, DecodeOptions.DEFAULT_MAX_PIXELS, true,
                    true);
        }

        public Options withBatchSize(int n) {
            return new Options(n, threads, batchesAhead, maxPixels, progress, reducedScale);
        }

        public Options withThreads(int n) {
            return new Options(batchSize, n, batchesAhead, maxPixels, progress, reducedScale);
        }

        public Options withBatchesAhead(int n) {
            return new Options(batchSize, threads, n, maxPixels, progress, reducedScale);
        }

        public Options withMaxPixels(long n) {
            return new Options(batchSize, threads, batchesAhead, n, progress, reducedScale);
        }

        public Options withReducedScale(boolean reduce) {
            return new Options(batchSize, threads, batchesAhead, maxPixels, progress, reduce);
        }

        public Options withProgress(boolean show) {
            return new Options(batchSize, threads, batchesAhead, maxPixels, show, reducedScale);
        }

        /** How images are decoded for a preprocessing under these options: the one place that decides it. */
        public DecodeOptions decodeOptions(Preprocessing preprocessing) {
            return (reducedScale ? DecodeOptions.forPreprocessing(preprocessing) : DecodeOptions.defaults())
                    .withMaxPixels(maxPixels);
        }
    }

    /**
     * Turns a decoded image into the floats the network reads, instead of plain preprocessing (e.g. an
     * {@link Augmentation} view).
     */
    @FunctionalInterface
    public interface Transform {
        /**
         * @param rgb the decoded image
         * @param index the image's position in the loader's sample list
         * @param out where to write {@link Preprocessing#floatsPerImage()} floats, CHW order
         * @param offset the first float to write
         */
        void apply(BufferedImage rgb, int index, float[] out, int offset);
    }

    /** One batch in preparation: per image, null when loaded or the reason it was skipped. */
    private record Pending(int first, float[] pixels, List<CompletableFuture<SkippedFile>> results) {
    }

    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final List<Sample> samples;
    private final Preprocessing preprocessing;
    private final Options options;
    private final DecodeOptions decodeOptions;
    private final ExecutorService pool;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Full-size pixel arrays the consumer gave back ({@link #recycle}), for the next batches. */
    private final ArrayDeque<float[]> free = new ArrayDeque<>();
    private final List<SkippedFile> skipped = new ArrayList<>();
    private final ProgressBar progress;
    private final Transform transform;
    /** Whether the transform is plain preprocessing, which reads the JPEG reader's pixels as they are. */
    private final boolean plain;
    private int nextToSubmit;
    private int handedOut;

    /** Starts loading the first batches at once. */
    public BatchLoader(List<Sample> samples, Preprocessing preprocessing, Options options) {
        this(samples, preprocessing, options, (Transform) null);
    }

    /** Starts loading the first batches at once; each decoded image goes through {@code transform}. */
    public BatchLoader(List<Sample> samples, Preprocessing preprocessing, Options options, Transform transform) {
        this(samples, preprocessing, options,
                options.progress() ? ProgressBar.toStderr("images", samples.size()) : null, transform);
    }

    /** A loader reporting to the given bar (null: none). */
    BatchLoader(List<Sample> samples, Preprocessing preprocessing, Options options, ProgressBar progress) {
        this(samples, preprocessing, options, progress, null);
    }

    /** A loader reporting to the given bar (null: none); a null transform is plain preprocessing. */
    BatchLoader(List<Sample> samples, Preprocessing preprocessing, Options options, ProgressBar progress,
                Transform transform) {
        this.plain = transform == null;
        this.transform = transform != null ? transform : (rgb, index, out, offset) -> preprocessing.apply(rgb, out, offset);
        this.samples = List.copyOf(samples);
        this.preprocessing = preprocessing;
        this.options = options;
        this.decodeOptions = options.decodeOptions(preprocessing);
        this.progress = progress;
        int poolId = POOL_NUMBER.incrementAndGet();
        AtomicInteger threadId = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "transfer4j-decode-" + poolId + "-" + threadId.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    /** Number of batches in all. */
    public int batchCount() {
        return (samples.size() + options.batchSize() - 1) / options.batchSize();
    }

    @Override
    public boolean hasNext() {
        return handedOut < batchCount();
    }

    /** The next batch, waiting for it if necessary. */
    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + batchCount() + " batches were handed out");
        }
        fill();
        Pending p = pending.poll();
        handedOut++;
        fill();
        int fpi = preprocessing.floatsPerImage();
        List<Sample> loaded = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<SkippedFile> failed = new ArrayList<>();
        for (int i = 0; i < p.results().size(); i++) {
            SkippedFile why = result(p.results().get(i));
            if (why == null) {
                if (loaded.size() != i) {
                    System.arraycopy(p.pixels(), i * fpi, p.pixels(), loaded.size() * fpi, fpi);
                }
                loaded.add(samples.get(p.first() + i));
                positions.add(p.first() + i);
            } else {
                failed.add(why);
            }
        }
        skipped.addAll(failed);
        float[] pixels = failed.isEmpty() ? p.pixels() : Arrays.copyOf(p.pixels(), loaded.size() * fpi);
        if (progress != null) {
            progress.advance(p.results().size());
            if (!hasNext()) {
                progress.close();
            }
        }
        return new Batch(pixels, loaded, positions.stream().mapToInt(Integer::intValue).toArray(), failed);
    }

    /**
     * Gives a batch's pixels back once the consumer is done with them: a later batch is decoded into the
     * same array instead of a new one. A batch of 32 images of 224² is 19 MB; new for every batch, with
     * the batches decoded ahead it outlives young collections and dies in the old generation, which then
     * grows with garbage. Call it from the thread that calls {@link #next()}, and read the batch no more.
     */
    public void recycle(Batch batch) {
        if (batch.pixels().length == options.batchSize() * preprocessing.floatsPerImage()
                && free.size() <= options.batchesAhead() + 1) {
            free.push(batch.pixels());
        }
    }

    /** Every image skipped so far. */
    public List<SkippedFile> skipped() {
        return List.copyOf(skipped);
    }

    /** Stops the decoding threads; pending work is dropped. */
    @Override
    public void close() {
        pool.shutdownNow();
        if (progress != null) {
            progress.close();
        }
    }

    private void fill() {
        while (nextToSubmit < batchCount() && nextToSubmit < handedOut + options.batchesAhead() + 1) {
            pending.add(submit(nextToSubmit++));
        }
    }

    private Pending submit(int batch) {
        int first = batch * options.batchSize();
        int count = Math.min(options.batchSize(), samples.size() - first);
        int fpi = preprocessing.floatsPerImage();
        float[] pixels = count == options.batchSize() && !free.isEmpty() ? free.pop() : new float[count * fpi];
        List<CompletableFuture<SkippedFile>> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = first + i;
            int offset = i * fpi;
            results.add(CompletableFuture.supplyAsync(() -> load(index, pixels, offset), pool));
        }
        return new Pending(first, pixels, results);
    }

    private static SkippedFile result(CompletableFuture<SkippedFile> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            // Not an unreadable file (those are SkippedFiles) but a bug or an OutOfMemoryError.
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private SkippedFile load(int index, float[] pixels, int offset) {
        Sample sample = samples.get(index);
        BufferedImage rgb;
        try {
            rgb = plain ? ImageDecoder.decodeForPreprocessing(sample.file(), decodeOptions)
                    : ImageDecoder.decodeRgb(sample.file(), decodeOptions);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            String prefix = sample.file() + ": ";
            return new SkippedFile(sample.file(), message.startsWith(prefix) ? message.substring(prefix.length())
                    : message);
        }
        transform.apply(rgb, index, pixels, offset);
        return null;
    }
}
