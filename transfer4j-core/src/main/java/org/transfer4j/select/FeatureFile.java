package org.transfer4j.select;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Precomputed features and labels from files: a 2-D NumPy {@code .npy} array (float32 or float64,
 * C order; one row per image) and a text file with one integer class label per line.
 */
public final class FeatureFile {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])f([48])'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)");

    private FeatureFile() {
    }

    /**
     * Reads a 2-D float32 or float64 {@code .npy} array as float64 rows.
     *
     * @throws IllegalArgumentException when the file is missing or is not such an array
     */
    public static double[][] readNpy(Path file) {
        byte[] bytes = read(file);
        if (bytes.length < 12 || !ByteBuffer.wrap(bytes, 0, 6).equals(ByteBuffer.wrap(MAGIC))) {
            throw new IllegalArgumentException(file + " is not a .npy array (no \\x93NUMPY magic); save the features "
                    + "with numpy.save");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerStart = major == 1 ? 10 : 12;
        long headerLength = major == 1 ? buf.getShort(8) & 0xffff : buf.getInt(8) & 0xffffffffL;
        if (headerStart + headerLength > bytes.length) {
            throw new IllegalArgumentException(file + " has a .npy header longer than the file; it is truncated");
        }
        String header = new String(bytes, headerStart, (int) headerLength, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find()) {
            throw new IllegalArgumentException(file + " holds " + header.trim() + "; features must be float32 or "
                    + "float64 (features.astype(numpy.float32))");
        }
        if (!shape.find()) {
            throw new IllegalArgumentException(file + " holds " + header.trim() + "; features must be a 2-D array, "
                    + "one row per image (features.reshape(len(features), -1))");
        }
        if (!fortran.find() || fortran.group(1).equals("True")) {
            throw new IllegalArgumentException(file + " is in Fortran order; save numpy.ascontiguousarray(features)");
        }
        int rows = Integer.parseInt(shape.group(1));
        int cols = Integer.parseInt(shape.group(2));
        int width = descr.group(2).equals("8") ? 8 : 4;
        long dataStart = headerStart + headerLength;
        long needed = (long) rows * cols * width;
        if (dataStart + needed > bytes.length) {
            throw new IllegalArgumentException(file + " holds " + (bytes.length - dataStart) + " data bytes but shape ("
                    + rows + ", " + cols + ") needs " + needed + "; it is truncated");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, (int) needed).slice()
                .order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = width == 8 ? data.getDouble() : data.getFloat();
            }
        }
        return out;
    }

    /**
     * Reads one integer class label per line (blank lines at the end are ignored).
     *
     * @throws IllegalArgumentException when the file is missing or a line is not an integer from 0
     */
    public static int[] readLabels(Path file) {
        String text = new String(read(file), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(text.lines().toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        int[] labels = new int[lines.size()];
        for (int i = 0; i < labels.length; i++) {
            String line = lines.get(i).strip();
            try {
                labels[i] = Integer.parseInt(line);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is '" + line
                        + "', not an integer class label; write one label (0, 1, ...) per line");
            }
            if (labels[i] < 0) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is " + labels[i]
                        + "; class labels must be integers from 0");
            }
        }
        return labels;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no file at " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
