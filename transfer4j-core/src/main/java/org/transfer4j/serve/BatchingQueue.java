package org.transfer4j.serve;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Prediction;

/**
 * Dynamic batching for one model: images decoded and prepared (resized, cropped, normalised) on the
 * request threads wait in a bounded queue, so that preparing the next batch overlaps running this
 * one; each worker thread (one by default; {@code serve --workers}) takes the
 * first waiting image, gathers more for at most {@code maxDelayMs} or until {@code maxBatch}, and runs
 * them through the model as one batch, beside the other workers' batches. A full queue refuses at once
 * ({@link #submit} returns null), which the server answers with 503 and {@code Retry-After}.
 */
public final class BatchingQueue implements AutoCloseable {

    private record Job(float[] pixels, CompletableFuture<Prediction> result) {
    }

    private final ImageClassifier model;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final BlockingQueue<Job> waiting;
    private final IntConsumer onBatch;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closing;

    /**
     * Starts the worker.
     *
     * @param model the classifier the batches run through (this queue is its only caller)
     * @param maxBatch most images per batch, at least 1
     * @param maxDelayMs longest wait for more images after the first, 0 or more
     * @param capacity most images waiting, at least 1
     * @param onBatch told the size of every batch run (metrics)
     */
    public BatchingQueue(ImageClassifier model, int maxBatch, long maxDelayMs, int capacity, IntConsumer onBatch) {
        this(model, maxBatch, maxDelayMs, capacity, 1, onBatch);
    }

    /**
     * Starts {@code workers} workers, each running its own batches through the model (ONNX Runtime
     * sessions take concurrent runs).
     *
     * @param workers batches run at once, at least 1
     */
    public BatchingQueue(ImageClassifier model, int maxBatch, long maxDelayMs, int capacity, int workers,
            IntConsumer onBatch) {
        if (maxBatch < 1 || maxDelayMs < 0 || capacity < 1 || workers < 1) {
            throw new IllegalArgumentException("--max-batch, --queue and --workers must be at least 1 and --max-delay-ms "
                    + "0 or more, got " + maxBatch + ", " + capacity + ", " + workers + " and " + maxDelayMs);
        }
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        this.waiting = new ArrayBlockingQueue<>(capacity);
        this.onBatch = onBatch;
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(this::work, "transfer4j-batcher-" + i);
            worker.setDaemon(true);
            worker.start();
            this.workers.add(worker);
        }
    }

    /**
     * Prepares an image with the model's preprocessing on the calling thread and queues it; null when
     * the queue is full or closing (the caller answers 503).
     */
    public CompletableFuture<Prediction> submit(BufferedImage image) {
        CompletableFuture<Prediction> result = new CompletableFuture<>();
        if (closing || waiting.remainingCapacity() == 0) {
            return null;
        }
        if (!waiting.offer(new Job(model.preprocessing().apply(image), result))) {
            return null;
        }
        return result;
    }

    /** Images waiting now. */
    public int depth() {
        return waiting.size();
    }

    private void work() {
        List<Job> batch = new ArrayList<>();
        while (!closing || !waiting.isEmpty()) {
            try {
                Job first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxDelayNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Job next = left > 0 ? waiting.poll(left, TimeUnit.NANOSECONDS) : waiting.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Job> batch) {
        onBatch.accept(batch.size());
        try {
            List<Prediction> predictions = model.predictPrepared(batch.stream().map(Job::pixels).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(predictions.get(i));
            }
        } catch (RuntimeException e) {
            batch.forEach(j -> j.result().completeExceptionally(e));
        }
    }

    /** Stops taking images, lets the workers finish those waiting (at most 30 s in all), then returns. */
    @Override
    public void close() {
        closing = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            for (Thread worker : workers) {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
