package org.transfer4j.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The ImageNet class names in the standard synset order, read from the weights folder's
 * {@code coral-tflite/imagenet_labels.txt} (1001 lines, "background" first). Models with 1001 outputs
 * use the list as it is; models with 1000 outputs use it without the background line.
 */
public final class ImagenetLabels {

    /** Where the label file lies inside the weights folder. */
    public static final String FILE = "coral-tflite/imagenet_labels.txt";
    private static final int WITH_BACKGROUND = 1001;

    private final List<String> withBackground;

    private ImagenetLabels(List<String> withBackground) {
        this.withBackground = List.copyOf(withBackground);
    }

    /**
     * Reads the label file from a weights folder.
     *
     * @throws WeightsException when the file is missing or not 1001 labels with background first
     */
    public static ImagenetLabels fromWeightsFolder(Path weightsFolder) {
        return read(weightsFolder.resolve(FILE));
    }

    /** Reads a label file: 1001 lines, the first "background". */
    public static ImagenetLabels read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new WeightsException(file + ": no such file; put imagenet_labels.txt (1001 lines, "
                    + "background first) there", e);
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot be read: " + e.getMessage(), e);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines = lines.subList(0, lines.size() - 1);
        }
        if (lines.size() != WITH_BACKGROUND || !lines.get(0).strip().equalsIgnoreCase("background")) {
            throw new WeightsException(file + ": expected " + WITH_BACKGROUND + " ImageNet labels with "
                    + "'background' first, found " + lines.size() + " lines starting with '"
                    + (lines.isEmpty() ? "" : lines.get(0)) + "'");
        }
        return new ImagenetLabels(lines.stream().map(String::strip).toList());
    }

    /**
     * The label list for a classifier with that many outputs.
     *
     * @param numClasses 1001 (background at 0) or 1000
     */
    public List<String> forClasses(int numClasses) {
        if (numClasses == WITH_BACKGROUND) {
            return withBackground;
        }
        if (numClasses == WITH_BACKGROUND - 1) {
            return withBackground.subList(1, WITH_BACKGROUND);
        }
        throw new IllegalArgumentException("ImageNet labels exist for 1000 or 1001 classes, not " + numClasses);
    }

    /** The label of one output of a classifier with {@code numClasses} outputs. */
    public String label(int index, int numClasses) {
        return forClasses(numClasses).get(index);
    }

    /** The first, shortest name of a label: {@code "tabby"} for "tabby, tabby cat". */
    public String shortLabel(int index, int numClasses) {
        String full = label(index, numClasses);
        int comma = full.indexOf(',');
        return comma < 0 ? full : full.substring(0, comma);
    }
}
