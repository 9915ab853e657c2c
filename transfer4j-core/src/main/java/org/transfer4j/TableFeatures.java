package org.transfer4j;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.DatasetException;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.data.Sample;
import org.transfer4j.train.ExtractionRecord;
import org.transfer4j.train.FeatureTable;
import org.transfer4j.train.LabelledFeatures;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.WeightsException;

/**
 * {@link Transfer#features()} for a feature table: the rows of the Spark job's Parquet instead of a
 * backbone pass over the images, in the three splits an image-folder run makes of the same files.
 */
final class TableFeatures {

    private final Path table;
    private final ContentHashes hashes;
    private final PrintStream log;

    TableFeatures(Path table, ContentHashes hashes, PrintStream log) {
        this.table = table;
        this.hashes = hashes;
        this.log = log;
    }

    /** The device the table's features were computed on, as its record says. */
    static String device(Path table) {
        try {
            return ExtractionRecord.read(table).device();
        } catch (IOException e) {
            throw new DatasetException("--features " + e.getMessage(), e);
        }
    }

    /** The backbone name the table records. */
    static String backboneName(Path table) {
        try {
            return ExtractionRecord.read(table).backbone().name();
        } catch (IOException e) {
            throw new DatasetException("--features " + e.getMessage(), e);
        }
    }

    /**
     * The table's features in three splits.
     *
     * @param net the loaded backbone; it must have the table's cache key
     * @param needsImages whether the run fine-tunes or augments (refused: both need the images)
     */
    DatasetFeatures read(Backbone net, double testFraction, double validationFraction, long seed, boolean needsImages) {
        if (needsImages) {
            throw new IllegalArgumentException("--features trains the head on the table's features: --mode finetune "
                    + "and --augment need the images; train on the image folder instead");
        }
        long start = System.nanoTime();
        FeatureTable features;
        try {
            features = FeatureTable.read(table);
        } catch (IOException e) {
            throw new DatasetException("--features " + e.getMessage(), e);
        }
        ExtractionRecord record = features.record();
        String key = Transfer.cacheKey(net);
        if (!key.equals(record.cacheKey())) {
            throw new WeightsException(table + " was made with " + record.backbone().weightSet() + " weights "
                    + record.backbone().weightsFile() + " (SHA-256 " + record.backbone().weightsSha256() + ", cache key "
                    + record.cacheKey() + "), but the backbone loaded here is " + net.file() + " (SHA-256 "
                    + net.sha256() + ", cache key " + key + "); give the same weights with --weights or --weights-dir");
        }
        Path root = localRoot(record.dataUri());
        Map<Path, float[]> rows = new HashMap<>();
        List<String> readable = new ArrayList<>();
        int errors = 0;
        for (FeatureTable.Row row : features.rows()) {
            if (row.error() != null) {
                errors++;
                log.printf("skipped %s: %s%n", row.path(), row.error());
            } else if (row.label() != null) {
                if (row.features() == null || row.features().length != net.featureWidth()) {
                    throw new DatasetException("--features " + table + ": row " + row.path() + " has "
                            + (row.features() == null ? "no" : String.valueOf(row.features().length)) + " features, "
                            + net.set().id() + " gives " + net.featureWidth());
                }
                Path file = root.resolve(row.path()).normalize();
                readable.add(row.path());
                rows.put(file, row.features());
                hashes.remember(file, row.contentHash());
            }
        }
        ImageFolder folder = ImageFolder.fromListing(root, record.layout(), readable, testFraction, validationFraction, seed);
        log.printf("feature table %s: %d rows (%d with an error), made from %s on %s%n", table, features.rows().size(),
                errors, record.dataUri(), record.device());
        log.printf("dataset %s: %d classes, %d train, %d validation, %d test images (%s)%n", record.dataUri(),
                folder.classNames().size(), folder.train().size(), folder.validation().size(), folder.test().size(),
                folder.description());
        double seconds = (System.nanoTime() - start) / 1e9;
        return new DatasetFeatures(folder, net, labelled(folder.train(), rows), labelled(folder.validation(), rows),
                labelled(folder.test(), rows), folder.train(), folder.validation(), folder.test(), List.of(), List.of(),
                seconds, null, null);
    }

    private static LabelledFeatures labelled(List<Sample> samples, Map<Path, float[]> rows) {
        float[][] features = new float[samples.size()][];
        int[] labels = new int[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            features[i] = rows.get(samples.get(i).file());
            labels[i] = samples.get(i).classIndex();
        }
        return new LabelledFeatures(features, labels);
    }

    /** The data folder as a local path: itself for a file: URI, else its path part (its files are not read). */
    static Path localRoot(String dataUri) {
        URI uri = URI.create(dataUri);
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            return uri.getScheme() == null ? Path.of(dataUri) : Path.of(uri);
        }
        return Path.of(uri.getPath());
    }
}
