package org.transfer4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.transfer4j.weights.SafetensorsReader;
import org.transfer4j.weights.SafetensorsWriter;
import org.transfer4j.weights.Tensor;

/**
 * Fine-tuning checkpoints in a run folder: after every epoch the trainable state and the optimiser
 * moments ({@code state-EEE.safetensors}), the best state so far ({@code best-EEE.safetensors}) and
 * {@code checkpoint.json}, which names them and is replaced last and atomically, so a process killed
 * at any moment leaves the previous complete checkpoint. {@code --resume RUN_DIR} continues from it.
 */
public final class Checkpoint {

    /** Name of the pointer file inside the checkpoint folder. */
    public static final String POINTER = "checkpoint.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What {@code checkpoint.json} holds.
     *
     * @param fingerprint the run's settings; a resume with other settings is refused
     * @param epoch last completed epoch
     * @param stateFile trainable state and optimiser moments after that epoch
     * @param bestFile the state with the lowest validation loss so far
     * @param bestEpoch its epoch (0: the head-only stage)
     * @param bestLoss its validation loss
     * @param badEpochs epochs since the last improvement (early stopping)
     * @param history per-epoch stats so far
     */
    public record Info(String fingerprint, int epoch, String stateFile, String bestFile, int bestEpoch,
                       double bestLoss, int badEpochs, List<EpochStats> history) {
    }

    private final Path dir;

    public Checkpoint(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The last complete checkpoint, if any. */
    public Optional<Info> latest() {
        Path pointer = dir.resolve(POINTER);
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(pointer.toFile(), Info.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + pointer + " (" + e.getMessage()
                    + "); delete the folder to start over", e);
        }
    }

    /** The tensors of a file named in {@link Info}. */
    public Map<String, Tensor> read(String file) {
        return SafetensorsReader.read(dir.resolve(file)).asMap();
    }

    /**
     * Writes a checkpoint: the state file, the best file when it changed, then the pointer; older
     * files are removed afterwards.
     *
     * @param best the best state, or null when it is unchanged since the previous checkpoint
     */
    public void save(Info info, Map<String, Tensor> state, Map<String, Tensor> best) {
        try {
            Files.createDirectories(dir);
            Optional<Info> previous = latest();
            writeAtomically(info.stateFile(), out -> SafetensorsWriter.write(state, out));
            if (best != null) {
                writeAtomically(info.bestFile(), out -> SafetensorsWriter.write(best, out));
            }
            writeAtomically(POINTER, out -> JSON.writeValue(out, info));
            if (previous.isPresent()) {
                deleteUnless(previous.get().stateFile(), info);
                deleteUnless(previous.get().bestFile(), info);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** File name for an epoch's state. */
    public static String stateFile(int epoch) {
        return String.format(Locale.ROOT, "state-%03d.safetensors", epoch);
    }

    /** File name for the best state found at an epoch. */
    public static String bestFile(int epoch) {
        return String.format(Locale.ROOT, "best-%03d.safetensors", epoch);
    }

    private void deleteUnless(String file, Info current) throws IOException {
        if (!file.equals(current.stateFile()) && !file.equals(current.bestFile())) {
            Files.deleteIfExists(dir.resolve(file));
        }
    }

    private interface Writing {
        void to(OutputStream out) throws IOException;
    }

    private void writeAtomically(String name, Writing writing) throws IOException {
        Path target = dir.resolve(name);
        Path tmp = Files.createTempFile(dir, name, ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writing.to(out);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
