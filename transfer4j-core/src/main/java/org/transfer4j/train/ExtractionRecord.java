package org.transfer4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.transfer4j.data.ImageLayout;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelBundle;

/**
 * {@code _transfer4j.json}, written beside a table of backbone features (by the Spark job,
 * {@code transfer4j-spark}): which backbone, weights and preprocessing made the features, under which
 * feature-cache key ({@link org.transfer4j.Transfer#cacheKey}), from which data, on which device, and
 * how many images could not be read. {@code transfer4j train --features} checks the backbone it loads
 * against it before training on the table.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param backbone backbone, weight set, weights file name and SHA-256, feature width
 * @param preprocessing how the images were prepared (as the command line prepares them)
 * @param cacheKey the feature-cache key of the backbone: equal keys, equal features
 * @param dataUri the image folder the table was made from (any Hadoop file system URI)
 * @param layout where its class folders and test folder are
 * @param maxPixels pixel limit per image
 * @param images rows in the table
 * @param errors rows whose image could not be read (their {@code error} column says why)
 * @param device where the backbone ran ({@code cpu}, {@code cuda:0})
 * @param versions transfer4j, ONNX Runtime and Spark versions
 * @param created when the table was written (ISO-8601)
 */
public record ExtractionRecord(int formatVersion, Manifest.BackboneInfo backbone, Manifest.PreprocessingInfo preprocessing,
                               String cacheKey, String dataUri, ImageLayout layout, long maxPixels, long images,
                               long errors, String device, java.util.Map<String, String> versions, String created) {

    /** The file's name in the table's folder. */
    public static final String FILE = "_transfer4j.json";
    /** The format this version writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** The record as JSON (indented). */
    public String toJson() {
        try {
            return ModelBundle.json().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a record. */
    public static ExtractionRecord fromJson(String json) throws IOException {
        ExtractionRecord r = ModelBundle.json().readValue(json, ExtractionRecord.class);
        if (r.formatVersion() != FORMAT_VERSION) {
            throw new IOException(FILE + " has format " + r.formatVersion() + "; this transfer4j reads format "
                    + FORMAT_VERSION);
        }
        return r;
    }

    /** Reads {@link #FILE} from a table's folder. */
    public static ExtractionRecord read(Path tableDir) throws IOException {
        Path file = tableDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(tableDir + " has no " + FILE + ": it is not a feature table written by the "
                    + "transfer4j Spark job (or the job did not finish)");
        }
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }
}
