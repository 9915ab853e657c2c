package org.transfer4j.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a NumPy {@code .npz} archive ({@code np.savez} or {@code np.savez_compressed}): one
 * {@code <name>.npy} per tensor, kept in archive order under its name without {@code .npy}.
 * Float and integer arrays become float32; C order only.
 */
public final class NpzReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([fiub])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Map<String, DType> DTYPES = Map.of(
            "f4", DType.F32, "f2", DType.F16, "f8", DType.F64, "i8", DType.I64, "i4", DType.I32,
            "i2", DType.I16, "i1", DType.I8, "u1", DType.U8, "b1", DType.BOOL);

    private NpzReader() {
    }

    /**
     * Reads every array of the archive.
     *
     * @throws WeightsException when the file is missing, not a complete zip, or holds something
     *     other than C-order numeric {@code .npy} arrays
     */
    public static Weights read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (!entry.getName().endsWith(".npy")) {
                    throw new WeightsException(file + " holds " + entry.getName() + ", not a .npy array; not an .npz of weights");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    String name = entry.getName().substring(0, entry.getName().length() - 4);
                    tensors.put(name, npy(in.readAllBytes(), file + " (" + entry.getName() + ")"));
                }
            }
            return new Weights(tensors);
        } catch (NoSuchFileException e) {
            throw new WeightsException("no weights file at " + file, e);
        } catch (ZipException e) {
            throw new WeightsException(file + " is not a complete zip archive (" + PthReader.oneLine(e)
                    + "); it may be truncated: write it again with np.savez", e);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + PthReader.oneLine(e), e);
        }
    }

    private static Tensor npy(byte[] bytes, String source) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !ByteBuffer.wrap(bytes, 0, 6).equals(ByteBuffer.wrap(MAGIC))) {
            throw new WeightsException(source + " is not a .npy array (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        int headerLength = major == 1 ? buf.getShort(8) & 0xffff : buf.getInt(8);
        int dataStart = (major == 1 ? 10 : 12) + headerLength;
        if (headerLength < 0 || dataStart > bytes.length) {
            throw new WeightsException(source + " has a .npy header longer than the array; it is damaged");
        }
        String header = new String(bytes, major == 1 ? 10 : 12, headerLength, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeText = SHAPE.matcher(header);
        DType dtype = descr.find() ? DTYPES.get(descr.group(2) + descr.group(3)) : null;
        if (dtype == null || !fortran.find() || !shapeText.find()) {
            throw new WeightsException(source + " has an unsupported .npy header " + header.trim()
                    + "; supported dtypes: " + DTYPES.keySet());
        }
        if (fortran.group(1).equals("True")) {
            throw new WeightsException(source + " is in Fortran order; save np.ascontiguousarray(a) instead");
        }
        String[] dims = shapeText.group(1).split(",");
        long[] shape = Arrays.stream(dims).map(String::trim).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long count = Tensor.numel(shape);
        if (dataStart + count * dtype.bytes() > bytes.length) {
            throw new WeightsException(source + " holds " + (bytes.length - dataStart) + " data bytes, shape "
                    + Arrays.toString(shape) + " needs " + count * dtype.bytes() + "; it is damaged");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice()
                .order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return new Tensor(shape, dtype.toFloats(data, 0, Math.toIntExact(count)));
    }
}
