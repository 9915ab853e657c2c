package org.transfer4j.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.exec.OrtRunner;

/**
 * Turns image files into backbone features: each image is hashed, looked up in the
 * {@link FeatureCache}, and only the misses are decoded (in parallel, ahead of inference) and run
 * through the backbone on ONNX Runtime, batch by batch.
 */
public final class FeatureExtractor implements AutoCloseable {

    /** Progress callback: images done so far of the total. */
    public interface Progress {
        void update(int done, int total, int fromCache);
    }

    /** A file that could not be used, and why. */
    public record Skipped(Path file, String reason) {
    }

    /**
     * Features of a list of files.
     *
     * @param rows features per input file, in input order; null where the file was skipped
     * @param skipped unreadable files with reasons
     * @param fromCache how many came from the cache
     * @param computed how many went through the backbone
     */
    public record Result(float[][] rows, List<Skipped> skipped, int fromCache, int computed) {
    }

    private final OrtRunner backbone;
    private final Preprocessing preprocessing;
    private final FeatureCache cache;
    private final int batchSize;
    private final ExecutorService decoders;

    /**
     * @param backbone an ONNX Runtime session whose output {@code features} is the feature vector
     * @param preprocessing the backbone's preprocessing
     * @param cache where features are kept between runs
     * @param batchSize images per inference batch
     * @param decodeThreads parallel decoders
     */
    public FeatureExtractor(OrtRunner backbone, Preprocessing preprocessing, FeatureCache cache, int batchSize,
                            int decodeThreads) {
        this.backbone = backbone;
        this.preprocessing = preprocessing;
        this.cache = cache;
        this.batchSize = batchSize;
        this.decoders = Executors.newFixedThreadPool(decodeThreads, r -> {
            Thread t = new Thread(r, "transfer4j-decode");
            t.setDaemon(true);
            return t;
        });
    }

    /** Extracts features for the files, from the cache where possible. */
    public Result extract(List<Path> files, Progress progress) {
        int n = files.size();
        float[][] rows = new float[n][];
        List<Skipped> skipped = new ArrayList<>();
        Deque<Future<Decoded>> pending = new ArrayDeque<>();
        List<Decoded> batch = new ArrayList<>();
        int next = 0;
        int done = 0;
        int fromCache = 0;
        int computed = 0;
        while (next < n || !pending.isEmpty()) {
            while (next < n && pending.size() < 2 * batchSize) {
                int index = next++;
                pending.add(decoders.submit(() -> decode(index, files.get(index))));
            }
            Decoded d = await(pending.poll());
            if (d.error != null) {
                skipped.add(new Skipped(d.file, d.error));
                done++;
            } else if (d.cached != null) {
                rows[d.index] = d.cached;
                fromCache++;
                done++;
            } else {
                batch.add(d);
            }
            if (batch.size() == batchSize || (!batch.isEmpty() && next == n && pending.isEmpty())) {
                runBatch(batch, rows);
                computed += batch.size();
                done += batch.size();
                batch.clear();
            }
            progress.update(done, n, fromCache);
        }
        return new Result(rows, skipped, fromCache, computed);
    }

    private void runBatch(List<Decoded> batch, float[][] rows) {
        int per = preprocessing.floatsPerImage();
        float[] input = new float[batch.size() * per];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).pixels, 0, input, i * per, per);
        }
        Map<String, float[][]> out = backbone.run(input,
                new long[] {batch.size(), 3, preprocessing.crop(), preprocessing.crop()});
        float[][] features = out.get(Graph.Outputs.FEATURES);
        for (int i = 0; i < batch.size(); i++) {
            Decoded d = batch.get(i);
            rows[d.index] = features[i];
            cache.put(d.hash, features[i]);
        }
    }

    private Decoded decode(int index, Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String hash = contentHash(bytes);
            var hit = cache.get(hash);
            if (hit.isPresent()) {
                return new Decoded(index, file, hash, hit.get(), null, null);
            }
            BufferedImage img = org.transfer4j.data.ImageDecoder.decodeRgb(file);
            return new Decoded(index, file, hash, null, preprocessing.apply(img), null);
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Decoded(index, file, null, null, null, reason);
        }
    }

    /** SHA-256 of the bytes, first 128 bits, hex. */
    public static String contentHash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Decoded await(Future<Decoded> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        decoders.shutdownNow();
    }

    private record Decoded(int index, Path file, String hash, float[] cached, float[] pixels, String error) {
    }
}
