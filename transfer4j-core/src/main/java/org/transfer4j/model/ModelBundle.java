package org.transfer4j.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The saved form of a trained classifier, a folder: {@code manifest.json}, {@code head.safetensors}
 * (the new head's weights), {@code model.onnx} (backbone + head, so prediction needs only ONNX
 * Runtime) and any plots. The folder is written next to its destination and renamed into place, so a
 * reader sees the old bundle or the new one, never half of one. Replacing takes two renames (old
 * folder aside, new one in); a process killed between them leaves the old bundle aside as
 * {@code .NAME.old-*}, and the next {@link #readManifest} puts it back.
 */
public final class ModelBundle {

    public static final String MANIFEST = "manifest.json";
    public static final String ONNX = "model.onnx";
    public static final String HEAD = "head.safetensors";
    /** The int8 calibration of an int8 bundle ({@code train --precision int8}); absent in a float32 one. */
    public static final String CALIBRATION = "calibration.json";

    /** Indented on write; fields it does not know are ignored on read (a newer bundle of the same format). */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelBundle() {
    }

    /** The JSON mapper used for manifests. */
    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * Writes a bundle atomically.
     *
     * @param dir destination folder; replaced if it exists
     * @param files the other files by name: {@link #ONNX}, {@link #HEAD}, plots
     */
    public static void write(Path dir, Manifest manifest, Map<String, byte[]> files) {
        Path parent = dir.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp-");
            JSON.writeValue(tmp.resolve(MANIFEST).toFile(), manifest);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(tmp.resolve(f.getKey()), f.getValue());
            }
            replace(tmp, dir.toAbsolutePath());
            tmp = null;
        } catch (IOException e) {
            throw new ModelException("cannot write model bundle " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Puts {@code fresh} where {@code dir} is, keeping the old folder until the new one is in place. */
    private static void replace(Path fresh, Path dir) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = dir.resolveSibling("." + dir.getFileName() + ".old-" + System.nanoTime());
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
        deleteQuietly(old);
    }

    /** Moves back the newest old bundle that an interrupted {@link #replace} left aside, if any. */
    private static void restoreSetAside(Path dir) {
        String prefix = "." + dir.getFileName() + ".old-";
        try (java.util.stream.Stream<Path> siblings = Files.list(dir.getParent())) {
            Optional<Path> newest = siblings.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> Files.isRegularFile(p.resolve(MANIFEST)))
                    .max(java.util.Comparator.comparingLong(p -> Long.parseLong(
                            p.getFileName().toString().substring(prefix.length()))));
            if (newest.isPresent()) {
                Files.move(newest.get(), dir, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | NumberFormatException e) {
            // nothing to restore: the caller reports the missing folder
        }
    }

    /**
     * Reads and validates a bundle's manifest.
     *
     * @throws ModelException naming the folder and what is wrong
     */
    public static Manifest readManifest(Path dir) {
        Path file = dir.resolve(MANIFEST);
        if (!Files.exists(dir)) {
            restoreSetAside(dir.toAbsolutePath());
        }
        if (!Files.isDirectory(dir)) {
            throw new ModelException(dir + ": no such model folder");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelException(dir + ": not a transfer4j model (no " + MANIFEST + ")");
        }
        Manifest m;
        try {
            m = JSON.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new ModelException(file + ": damaged manifest (" + firstLine(e.getMessage()) + ")", e);
        }
        if (m.formatVersion() != Manifest.FORMAT_VERSION) {
            throw new ModelException(file + ": bundle format " + m.formatVersion() + ", this transfer4j reads "
                    + Manifest.FORMAT_VERSION + (m.formatVersion() < Manifest.FORMAT_VERSION
                    ? " (format 1 predates the validation split and the export check): train the model again"
                    : ": use a newer transfer4j"));
        }
        if (m.classes() == null || m.classes().size() < 2 || m.preprocessing() == null || m.head() == null
                || m.head().numClasses() != m.classes().size()) {
            throw new ModelException(file + ": incomplete manifest (classes, preprocessing or head missing or inconsistent)");
        }
        checkConsistent(file, m);
        Path onnx = dir.resolve(ONNX);
        if (!Files.isRegularFile(onnx)) {
            throw new ModelException(dir + ": " + ONNX + " is missing");
        }
        if (onnx.toFile().length() == 0) {
            throw new ModelException(onnx + ": " + ONNX + " is empty (0 bytes); the bundle was cut short: save it again");
        }
        return m;
    }

    /** Classes distinct, shapes agreeing, preprocessing sane: a tampered manifest names its fault. */
    private static void checkConsistent(Path file, Manifest m) {
        String fix = "; the manifest was edited or mixed up with another model's: restore it or train again";
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String c : m.classes()) {
            if (c == null || c.isBlank() || !seen.add(c)) {
                throw new ModelException(file + ": class name '" + c + "' is blank or listed twice in " + m.classes() + fix);
            }
        }
        if (m.backbone() == null || m.head().inputWidth() != m.backbone().featureWidth()) {
            throw new ModelException(file + ": the head takes " + m.head().inputWidth() + " features but the backbone gives "
                    + (m.backbone() == null ? "none (backbone missing)" : m.backbone().featureWidth()) + fix);
        }
        Manifest.PreprocessingInfo p = m.preprocessing();
        boolean stats = p.mean() != null && p.std() != null && p.mean().length == 3 && p.std().length == 3;
        for (int i = 0; stats && i < 3; i++) {
            stats = p.std()[i] > 0;
        }
        if (p.crop() <= 0 || p.resize() < 0 || !stats) {
            throw new ModelException(file + ": preprocessing is invalid (crop " + p.crop() + ", resize " + p.resize()
                    + ", mean/std must be 3 values with std > 0)" + fix);
        }
    }

    /** Reads every file of a bundle except the manifest, by name. */
    public static Map<String, byte[]> readFiles(Path dir) {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && !name.equals(MANIFEST) && !name.startsWith(".")) {
                    files.put(name, Files.readAllBytes(p));
                }
            }
        } catch (IOException e) {
            throw new ModelException(dir + ": cannot read (" + e.getMessage() + ")", e);
        }
        return files;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temp folder is harmless and named as such
        }
    }
}
