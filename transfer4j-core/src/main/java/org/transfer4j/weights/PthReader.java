package org.transfer4j.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.transfer4j.weights.TorchUnpickler.StorageRef;
import org.transfer4j.weights.TorchUnpickler.TensorRef;

/**
 * Reads a PyTorch state_dict saved with {@code torch.save} (the zip format of torch 1.6 and
 * later: {@code <root>/data.pkl}, raw storages in {@code <root>/data/<key>}, optionally
 * {@code <root>/byteorder}). Pickled code is never run: see {@link TorchUnpickler}.
 *
 * <p>Accepted layouts: a bare state_dict; a checkpoint dict whose {@code "state_dict"} or
 * {@code "model"} entry is one; keys all prefixed {@code "module."} (DataParallel), which is
 * stripped. Tensors of any float or integer type become float32; they must be contiguous.
 * The order of the file is kept: the pickle loses it, so it is restored from the storage keys,
 * which torch numbers in the order it meets the tensors.
 */
public final class PthReader {

    private static final String MODULE_PREFIX = "module.";

    private PthReader() {
    }

    /**
     * Reads every tensor of a {@code .pth}/{@code .pt} state_dict.
     *
     * @throws WeightsException when the file is missing, not a complete torch archive, holds a
     *     global other than the tensor-rebuild ones, or holds no state_dict
     */
    public static Weights read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String root = root(zip, file);
            ByteOrder order = byteOrder(zip, root, file);
            Object top;
            try (InputStream in = zip.getInputStream(zip.getEntry(root + "data.pkl"))) {
                top = new TorchUnpickler(file + " (data.pkl)").load(in);
            } catch (WeightsException e) {
                throw e;
            } catch (RuntimeException | IOException e) {
                throw new WeightsException(file + " has an unreadable data.pkl (" + oneLine(e)
                        + "); re-save it with torch.save(model.state_dict(), path)", e);
            }
            Map<String, TensorRef> refs = stripModulePrefix(inDefinitionOrder(stateDict(top, file)));
            Map<String, ByteBuffer> storages = new HashMap<>();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                TensorRef ref = e.getValue();
                ByteBuffer bytes = storages.computeIfAbsent(ref.storage().key(),
                        key -> storage(zip, root, ref.storage(), order, file));
                tensors.put(e.getKey(), tensor(e.getKey(), ref, bytes, file));
            }
            return new Weights(tensors);
        } catch (NoSuchFileException e) {
            throw new WeightsException("no weights file at " + file, e);
        } catch (ZipException e) {
            throw new WeightsException(file + " is not a complete zip archive (" + oneLine(e)
                    + "); it may be truncated: download or save it again", e);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + oneLine(e), e);
        }
    }

    private static String root(ZipFile zip, Path file) {
        String root = archiveRoot(zip, file);
        if (isTorchScript(zip)) {
            throw new WeightsException(file + " is a TorchScript archive, not a state_dict; read it with "
                    + "TorchScriptReader, or in Python: torch.save(torch.jit.load(path).state_dict(), 'weights.pth')");
        }
        return root;
    }

    /** The archive's root folder ({@code "archive/"}): the one that holds {@code data.pkl}. */
    static String archiveRoot(ZipFile zip, Path file) {
        for (ZipEntry entry : Collections.list(zip.entries())) {
            String name = entry.getName();
            int slash = name.indexOf('/');
            if (slash >= 0 && name.substring(slash + 1).equals("data.pkl")) {
                return name.substring(0, slash + 1);
            }
        }
        throw new WeightsException(file + " is a zip archive without <root>/data.pkl, so not a torch.save file");
    }

    /** Whether a torch archive is TorchScript ({@code torch.jit.save}: it has code and constants). */
    static boolean isTorchScript(ZipFile zip) {
        for (ZipEntry entry : Collections.list(zip.entries())) {
            String name = entry.getName();
            int slash = name.indexOf('/');
            String rest = slash < 0 ? name : name.substring(slash + 1);
            if (rest.equals("constants.pkl") || rest.startsWith("code/")) {
                return true;
            }
        }
        return false;
    }

    static ByteOrder byteOrder(ZipFile zip, String root, Path file) throws IOException {
        ZipEntry entry = zip.getEntry(root + "byteorder");
        if (entry == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            return switch (text) {
                case "little" -> ByteOrder.LITTLE_ENDIAN;
                case "big" -> ByteOrder.BIG_ENDIAN;
                default -> throw new WeightsException(file + " has byteorder '" + text + "', expected little or big");
            };
        }
    }

    /** The state_dict inside whatever was pickled: itself, or a checkpoint's "state_dict"/"model". */
    private static Map<String, TensorRef> stateDict(Object top, Path file) {
        if (!(top instanceof Map<?, ?> map)) {
            throw new WeightsException(file + " holds a " + TorchUnpickler.typeName(top)
                    + ", not a state_dict; save model.state_dict()");
        }
        if (!map.isEmpty() && !map.values().stream().allMatch(v -> v instanceof TensorRef)) {
            for (String wrapper : List.of("state_dict", "model")) {
                if (map.get(wrapper) instanceof Map<?, ?> inner) {
                    return stateDict(inner, file);
                }
            }
        }
        Map<String, TensorRef> result = new LinkedHashMap<>();
        List<String> notTensors = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() instanceof TensorRef ref) {
                result.put(String.valueOf(e.getKey()), ref);
            } else {
                notTensors.add(e.getKey() + " (" + TorchUnpickler.typeName(e.getValue()) + ")");
            }
        }
        if (!notTensors.isEmpty() || result.isEmpty()) {
            throw new WeightsException(file + " holds no state_dict: " + (result.isEmpty() ? "no tensors"
                    : "entries that are not tensors: " + String.join(", ", notTensors.subList(0, Math.min(5, notTensors.size()))))
                    + "; expected name -> tensor, or a checkpoint with a 'state_dict' or 'model' entry");
        }
        return result;
    }

    /** Sorts by storage key (numeric when it is a number) then offset: torch's definition order. */
    private static Map<String, TensorRef> inDefinitionOrder(Map<String, TensorRef> refs) {
        Comparator<String> keyOrder = (a, b) -> {
            boolean na = a.chars().allMatch(Character::isDigit) && !a.isEmpty();
            boolean nb = b.chars().allMatch(Character::isDigit) && !b.isEmpty();
            if (na && nb) {
                return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
            }
            return na != nb ? (na ? -1 : 1) : a.compareTo(b);
        };
        List<Map.Entry<String, TensorRef>> entries = new ArrayList<>(refs.entrySet());
        entries.sort(Comparator.comparing((Map.Entry<String, TensorRef> e) -> e.getValue().storage().key(), keyOrder)
                .thenComparingLong(e -> e.getValue().offset())
                .thenComparing(Map.Entry::getKey));
        Map<String, TensorRef> sorted = new LinkedHashMap<>();
        entries.forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static Map<String, TensorRef> stripModulePrefix(Map<String, TensorRef> refs) {
        if (!refs.keySet().stream().allMatch(k -> k.startsWith(MODULE_PREFIX))) {
            return refs;
        }
        Map<String, TensorRef> stripped = new LinkedHashMap<>();
        refs.forEach((k, v) -> stripped.put(k.substring(MODULE_PREFIX.length()), v));
        return stripped;
    }

    static ByteBuffer storage(ZipFile zip, String root, StorageRef ref, ByteOrder order, Path file) {
        String name = root + "data/" + ref.key();
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new WeightsException(file + " lacks the storage " + name + " that data.pkl refers to; the file is damaged");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readAllBytes();
            long expected = ref.numel() * ref.dtype().bytes();
            if (bytes.length < expected) {
                throw new WeightsException(file + " storage " + name + " has " + bytes.length + " bytes, "
                        + ref.numel() + " " + ref.dtype() + " values need " + expected + "; the file is damaged");
            }
            return ByteBuffer.wrap(bytes).order(order);
        } catch (IOException e) {
            throw new WeightsException(file + " storage " + name + " is unreadable (" + oneLine(e) + ")", e);
        }
    }

    static Tensor tensor(String name, TensorRef ref, ByteBuffer bytes, Path file) {
        long[] shape = ref.shape();
        if (shape.length != ref.stride().length) {
            throw new WeightsException(file + " tensor " + name + " has shape " + Arrays.toString(shape)
                    + " but strides " + Arrays.toString(ref.stride()) + "; the file is damaged");
        }
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && ref.stride()[d] != expected) {
                throw new WeightsException(file + " tensor " + name + " is not contiguous (shape "
                        + Arrays.toString(shape) + ", strides " + Arrays.toString(ref.stride())
                        + "); save it with .contiguous(): {k: v.contiguous() for k, v in sd.items()}");
            }
            expected *= shape[d];
        }
        long numel = Tensor.numel(shape);
        if (ref.offset() < 0 || ref.offset() + numel > ref.storage().numel()) {
            throw new WeightsException(file + " tensor " + name + " reaches past its storage (offset "
                    + ref.offset() + " + " + numel + " > " + ref.storage().numel() + "); the file is damaged");
        }
        return new Tensor(shape, ref.storage().dtype().toFloats(bytes, ref.offset(), Math.toIntExact(numel)));
    }

    /**
     * A tensor of any strides (a channels-last weight, say), gathered into row-major order.
     *
     * @throws WeightsException when a stride is negative or the view reaches past its storage
     */
    static Tensor gather(String name, TensorRef ref, ByteBuffer bytes, Path file) {
        long[] shape = ref.shape();
        long[] stride = ref.stride();
        long last = ref.offset();
        for (int d = 0; d < shape.length; d++) {
            if (stride.length != shape.length || stride[d] < 0) {
                throw new WeightsException(file + " tensor " + name + " has shape " + Arrays.toString(shape)
                        + " but strides " + Arrays.toString(stride) + "; the file is damaged");
            }
            last += (shape[d] - 1) * stride[d];
        }
        long numel = Tensor.numel(shape);
        if (ref.offset() < 0 || (numel > 0 && last >= ref.storage().numel())) {
            throw new WeightsException(file + " tensor " + name + " reaches past its storage (element " + last
                    + " of " + ref.storage().numel() + "); the file is damaged");
        }
        float[] all = ref.storage().dtype().toFloats(bytes, 0, Math.toIntExact(ref.storage().numel()));
        float[] out = new float[Math.toIntExact(numel)];
        long[] index = new long[shape.length];
        for (int i = 0; i < out.length; i++) {
            long at = ref.offset();
            for (int d = 0; d < shape.length; d++) {
                at += index[d] * stride[d];
            }
            out[i] = all[(int) at];
            for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                index[d] = 0;
            }
        }
        return new Tensor(shape.clone(), out);
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
