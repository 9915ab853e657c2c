package org.transfer4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * A table of backbone features as the Spark job writes it: a folder of Parquet files, one row per
 * image (path relative to the data folder, content hash, label, layout split, features, error), and
 * the {@link ExtractionRecord} that says how they were made. Read with parquet-hadoop's
 * Hadoop-free reader ({@link LocalInputFile}, {@link PlainParquetConfiguration}, uncompressed pages
 * through {@link UncompressedPages}), without Spark: only Hadoop's shaded API jar
 * ({@code hadoop-client-api}), whose classes parquet-hadoop's reader loads.
 *
 * @param record how the features were made
 * @param rows every row of every part file, in file order
 */
public record FeatureTable(ExtractionRecord record, List<Row> rows) {

    /** Column: the image's path relative to the data folder, '/'-separated. */
    public static final String PATH = "path";
    /** Column: the image's full URI. */
    public static final String URI = "uri";
    /** Column: the content hash of the file ({@link org.transfer4j.data.ContentHashes#of}). */
    public static final String CONTENT_HASH = "content_hash";
    /** Column: the class folder, null when the image is in none. */
    public static final String LABEL = "label";
    /** Column: {@code train} or {@code test} when the layout has a test folder, else null. */
    public static final String SPLIT = "split";
    /** Column: the backbone's features, array of float; null when the image could not be read. */
    public static final String FEATURES = "features";
    /** Column: why the image could not be read, or null. */
    public static final String ERROR = "error";

    /**
     * One image of the table.
     *
     * @param features null when {@code error} is set
     */
    public record Row(String path, String uri, String contentHash, String label, String split, float[] features,
                      String error) {
    }

    public FeatureTable {
        rows = List.copyOf(rows);
    }

    /**
     * Reads a table's folder.
     *
     * @throws IOException naming the folder or file and what is wrong
     */
    public static FeatureTable read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such folder (give the OUT folder of the Spark job)");
        }
        ExtractionRecord record = ExtractionRecord.read(dir);
        List<Path> parts;
        try (Stream<Path> s = Files.list(dir)) {
            parts = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
        if (parts.isEmpty()) {
            throw new IOException(dir + ": no .parquet files beside " + ExtractionRecord.FILE);
        }
        List<Row> rows = new ArrayList<>();
        for (Path part : parts) {
            readPart(part, rows);
        }
        if (rows.size() != record.images()) {
            throw new IOException(dir + ": " + rows.size() + " rows but " + ExtractionRecord.FILE + " counts "
                    + record.images() + " images; the table is incomplete, run the job again");
        }
        return new FeatureTable(record, rows);
    }

    private static void readPart(Path part, List<Row> rows) throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(new UncompressedPages()).build();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(part), options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            for (String column : List.of(PATH, URI, CONTENT_HASH, LABEL, SPLIT, FEATURES, ERROR)) {
                if (!schema.containsField(column)) {
                    throw new IOException(part + ": no column '" + column + "' (columns: " + schema.getFields() + ")");
                }
            }
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    Group g = records.read();
                    rows.add(new Row(string(g, PATH), string(g, URI), string(g, CONTENT_HASH), string(g, LABEL),
                            string(g, SPLIT), floats(g), string(g, ERROR)));
                }
            }
        } catch (RuntimeException e) {
            throw new IOException(part + ": not a readable Parquet feature table (" + e.getMessage() + ")", e);
        }
    }

    private static String string(Group g, String column) {
        return g.getFieldRepetitionCount(column) == 0 ? null : g.getString(column, 0);
    }

    /** A Parquet LIST of floats: {@code features.list[i].element}. */
    private static float[] floats(Group g) {
        if (g.getFieldRepetitionCount(FEATURES) == 0) {
            return null;
        }
        Group list = g.getGroup(FEATURES, 0);
        int n = list.getFieldRepetitionCount(0);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = list.getGroup(0, i).getFloat(0, 0);
        }
        return values;
    }
}
