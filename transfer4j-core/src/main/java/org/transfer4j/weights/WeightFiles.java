package org.transfer4j.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The front door for weight files: picks the reader by the file's content, not its name.
 * <ul>
 *   <li>a zip holding {@code <root>/data.pkl}: a PyTorch {@code torch.save} file ({@link PthReader}), or
 *       with {@code <root>/code/} beside it a TorchScript archive of a quantized model
 *       ({@link TorchScriptReader}, dequantised);</li>
 *   <li>a zip of {@code .npy} arrays: a NumPy {@code .npz} ({@link NpzReader});</li>
 *   <li>an 8-byte little-endian length followed by a JSON object: {@code .safetensors}
 *       ({@link SafetensorsReader}).</li>
 * </ul>
 */
public final class WeightFiles {

    private static final int ZIP_MAGIC = 0x04034b50;
    private static final int PICKLE_PROTO = 0x80;

    private WeightFiles() {
    }

    /**
     * Reads a weights file of any supported format.
     *
     * @throws WeightsException when the file is missing, of no supported format, or unreadable
     */
    public static Weights read(Path file) {
        byte[] head = head(file);
        ByteBuffer le = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (head.length >= 4 && le.getInt(0) == ZIP_MAGIC) {
            return isNpz(file) ? NpzReader.read(file)
                    : isTorchScript(file) ? TorchScriptReader.read(file) : PthReader.read(file);
        }
        if (head.length >= 9 && head[8] == '{') {
            return SafetensorsReader.read(file);
        }
        if (head.length >= 1 && (head[0] & 0xff) == PICKLE_PROTO) {
            throw new WeightsException(file + " is a bare pickle (torch.save before 1.6, or "
                    + "_use_new_zipfile_serialization=False); re-save it with a current torch.save");
        }
        throw new WeightsException(file + " is not a weights file transfer4j reads: expected a torch.save "
                + ".pth/.pt (zip with data.pkl), .safetensors or .npz");
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(9);
        } catch (NoSuchFileException e) {
            throw new WeightsException("no weights file at " + file, e);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + PthReader.oneLine(e), e);
        }
    }

    /** Whether a file is a TorchScript zip ({@code torch.jit.save}); false for anything else. */
    static boolean isTorchScript(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return PthReader.isTorchScript(zip);
        } catch (IOException e) {
            return false;
        }
    }

    /** A zip whose entries are all {@code .npy} arrays; anything else is left to the .pth reader. */
    private static boolean isNpz(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            return !entries.isEmpty() && entries.stream().allMatch(e -> e.getName().endsWith(".npy"));
        } catch (ZipException e) {
            return false;
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + PthReader.oneLine(e), e);
        }
    }
}
