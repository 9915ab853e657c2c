package org.transfer4j.unlabeled;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transfer4j.data.DatasetException;
import org.transfer4j.report.ReportWriter;
import org.transfer4j.select.FeatureFile;

/**
 * Embeddings on disk, readable without transfer4j: {@code embeddings.npy} (float32, NumPy format 1.0,
 * little-endian, C order, one row per image), {@code index.csv} (header {@code path,content_hash,class_folder},
 * one line per row, in row order) and {@code manifest.json} (backbone, weights SHA-256, preprocessing,
 * width, count). Each file is written atomically.
 */
public final class EmbeddingFiles {

    /** The array file. */
    public static final String NPY = "embeddings.npy";
    /** The row index. */
    public static final String CSV = "index.csv";
    /** The manifest. */
    public static final String MANIFEST = "manifest.json";
    /** The manifest's format name. */
    public static final String FORMAT = "transfer4j-embeddings-1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String HEADER = "path,content_hash,class_folder";

    private EmbeddingFiles() {
    }

    /** Writes the three files into {@code dir} (created if needed), each atomically; the manifest last. */
    public static void write(Embeddings e, Path dir) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (Embeddings.Item item : e.items()) {
            csv.append(Csv.field(item.path())).append(',').append(item.contentHash()).append(',')
                    .append(Csv.field(item.classFolder())).append('\n');
        }
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("root", e.root().toString());
        m.put("backbone", e.backbone());
        m.put("weightsSha256", e.weightsSha256());
        m.put("preprocessing", e.preprocessing());
        m.put("width", e.width());
        m.put("count", e.count());
        m.put("normalised", false);
        m.put("skipped", e.skipped().size());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(NPY, npy(e.vectors(), e.width()));
        files.put(CSV, csv.toString().getBytes(StandardCharsets.UTF_8));
        try {
            files.put(MANIFEST, JSON.writeValueAsBytes(m));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        ReportWriter.save(dir, files);
    }

    /**
     * Reads embeddings written by {@link #write}.
     *
     * @throws DatasetException naming the file and what is wrong with it
     */
    public static Embeddings read(Path dir) {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new DatasetException("'" + dir + "' is not an embeddings index: " + MANIFEST + " is missing; "
                    + "make one with 'transfer4j embed DIR --out " + dir + "' or 'transfer4j index'");
        }
        try {
            JsonNode m = JSON.readTree(manifestFile.toFile());
            if (!FORMAT.equals(m.path("format").asText())) {
                throw new DatasetException(manifestFile + " is not a transfer4j embeddings manifest (format "
                        + m.path("format") + ", expected " + FORMAT + ")");
            }
            double[][] x;
            try {
                x = FeatureFile.readNpy(dir.resolve(NPY));
            } catch (IllegalArgumentException ex) {
                throw new DatasetException(ex.getMessage(), ex);
            }
            List<String> lines = Files.readAllLines(dir.resolve(CSV), StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
                throw new DatasetException(dir.resolve(CSV) + " does not start with the header '" + HEADER + "'");
            }
            List<Embeddings.Item> items = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                List<String> f = Csv.parse(line);
                if (f.size() != 3) {
                    throw new DatasetException(dir.resolve(CSV) + ": line '" + line + "' has " + f.size()
                            + " fields, expected 3 (" + HEADER + ")");
                }
                items.add(new Embeddings.Item(f.get(0), f.get(1), f.get(2)));
            }
            if (items.size() != x.length || items.size() != m.path("count").asInt()) {
                throw new DatasetException(dir + ": " + NPY + " has " + x.length + " rows, " + CSV + " " + items.size()
                        + " and the manifest says " + m.path("count").asInt() + "; write the index again");
            }
            float[][] v = new float[x.length][];
            for (int i = 0; i < x.length; i++) {
                v[i] = new float[x[i].length];
                for (int j = 0; j < x[i].length; j++) {
                    v[i][j] = (float) x[i][j];
                }
            }
            return new Embeddings(Path.of(m.path("root").asText("")).toAbsolutePath(), items, v, m.path("backbone").asText(), m.path("weightsSha256").asText(),
                    m.path("preprocessing").asText(), List.of());
        } catch (IOException ex) {
            throw new DatasetException("cannot read the embeddings index '" + dir + "': " + ex.getMessage(), ex);
        }
    }

    /** A 2-D float32 array in NumPy format 1.0, little-endian, C order. */
    static byte[] npy(float[][] rows, int width) {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows.length + ", " + width + "), }";
        int unpadded = 10 + header.length() + 1;
        header += " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf = ByteBuffer.allocate(10 + h.length + rows.length * width * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        for (float[] row : rows) {
            for (float value : row) {
                buf.putFloat(value);
            }
        }
        return buf.array();
    }
}
