package org.transfer4j.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.DecodeOptions;
import org.transfer4j.data.ImageDecoder;
import org.transfer4j.data.ImageLayout;
import org.transfer4j.data.Preprocessing;

/**
 * Turns one partition of {@code binaryFile} rows (path, content) into feature-table rows, a batch at a
 * time: each image is hashed, decoded and preprocessed as the command line does it
 * ({@link ImageDecoder}, {@link BatchLoader.Options#decodeOptions}, {@link Preprocessing#apply}), the
 * batch goes through the executor's shared backbone ({@link ExecutorBackbone}), and an image that
 * cannot be read becomes a row with its error and no features.
 */
final class ExtractPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final BackboneSpec spec;
    private final String rootPath;
    private final ImageLayout layout;

    /**
     * @param spec the backbone every executor loads
     * @param rootPath the data folder's URI path (decoded), to which the table's paths are relative
     * @param layout where the class folders and the test folder are
     */
    ExtractPartition(BackboneSpec spec, String rootPath, ImageLayout layout) {
        this.spec = spec;
        this.rootPath = rootPath.endsWith("/") ? rootPath : rootPath + "/";
        this.layout = layout;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> images) {
        ExecutorBackbone.Loaded model = ExecutorBackbone.get(spec);
        Preprocessing p = model.preprocessing();
        DecodeOptions decoding = BatchLoader.Options.defaults().withMaxPixels(spec.maxPixels()).decodeOptions(p);
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && images.hasNext()) {
                    ready.addAll(batch(images, model, p, decoding));
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /** Reads up to a batch of images, runs the readable ones through the backbone, returns their rows in order. */
    private List<Row> batch(Iterator<Row> images, ExecutorBackbone.Loaded model, Preprocessing p, DecodeOptions decoding) {
        int fpi = p.floatsPerImage();
        float[] pixels = new float[spec.batchSize() * fpi];
        List<Object[]> rows = new ArrayList<>();
        List<Integer> decoded = new ArrayList<>();
        while (rows.size() < spec.batchSize() && images.hasNext()) {
            Row image = images.next();
            String uri = image.getString(0);
            byte[] bytes = image.getAs(1);
            String path = relative(uri);
            String error = null;
            try {
                BufferedImage rgb = ImageDecoder.decodeRgb(bytes, path, decoding);
                p.apply(rgb, pixels, decoded.size() * fpi);
                decoded.add(rows.size());
            } catch (IOException e) {
                String message = String.valueOf(e.getMessage());
                error = message.startsWith(path + ": ") ? message.substring(path.length() + 2) : message;
            }
            rows.add(new Object[] {path, uri, ContentHashes.of(bytes), layout.label(path), layout.split(path), null,
                    error});
        }
        if (!decoded.isEmpty()) {
            int n = decoded.size();
            float[] input = n == spec.batchSize() ? pixels : java.util.Arrays.copyOf(pixels, n * fpi);
            float[][] features = model.runner().run(input, new long[] {n, 3, p.crop(), p.crop()})
                    .get(Graph.Outputs.FEATURES);
            for (int k = 0; k < n; k++) {
                rows.get(decoded.get(k))[5] = features[k];
            }
        }
        List<Row> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(RowFactory.create(r)));
        return out;
    }

    /** The image's path relative to the data folder, '/'-separated (the binaryFile path is a URI). */
    private String relative(String uri) {
        String path;
        try {
            path = new java.net.URI(uri).getPath();
        } catch (java.net.URISyntaxException e) {
            path = uri.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*:(//[^/]*)?", "");
        }
        return path.startsWith(rootPath) ? path.substring(rootPath.length()) : path;
    }
}
