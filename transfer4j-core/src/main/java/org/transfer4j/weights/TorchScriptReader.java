package org.transfer4j.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.transfer4j.weights.TorchScriptUnpickler.PackedParams;
import org.transfer4j.weights.TorchScriptUnpickler.QTensorRef;
import org.transfer4j.weights.TorchScriptUnpickler.ScriptObject;
import org.transfer4j.weights.TorchUnpickler.TensorRef;

/**
 * Reads the weights of a TorchScript archive of a quantized PyTorch model ({@code torch.jit.save} of
 * torchvision's quantized MobileNetV2, qnnpack or fbgemm): the packed conv and linear parameters in its
 * {@code data.pkl} (channels-last weights included), unpacked into int8 weights with their scales and zero points (per tensor or per
 * channel), float biases and conv geometry ({@link #readQuantized}), or dequantized into named float
 * tensors ({@link #read}). The archive's TorchScript code is never read nor run; the pickle goes through
 * {@link TorchScriptUnpickler}, which accepts only the globals such a model needs.
 *
 * <p>Names: a layer is named by its module path, which is torchvision's ({@code features.1.conv.1},
 * {@code classifier.1}); the hoisting prefix {@code _jit_pass_hoist_conv_packed_params.} and the
 * {@code ._packed_params} suffixes are dropped. A quantized model fuses each conv with its batch-norm, so
 * the weights fit torchvision's architecture with batch-norm folded ({@code mobilenet_v2_folded}):
 * {@code <module>.weight} and {@code <module>.bias}.
 */
public final class TorchScriptReader {

    private static final String HOIST_PREFIX = "_jit_pass_hoist_conv_packed_params.";
    private static final String CONV_STATE_VERSION = "2";

    private TorchScriptReader() {
    }

    /**
     * Every quantized layer of the archive, in the order of its storages (the order torch wrote them).
     *
     * @throws WeightsException when the file is missing, not a TorchScript archive, holds a global other
     *     than the accepted ones, or holds no quantized layer
     */
    public static List<QuantizedLayer> readQuantized(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String root = PthReader.archiveRoot(zip, file);
            if (!PthReader.isTorchScript(zip)) {
                throw new WeightsException(file + " is a torch.save archive, not TorchScript; read it as a state_dict (.pth)");
            }
            ByteOrder order = PthReader.byteOrder(zip, root, file);
            Object top = unpickle(zip, root, file);
            Map<String, PackedParams> packed = new LinkedHashMap<>();
            collect(top, "", packed);
            if (packed.isEmpty()) {
                throw new WeightsException(file + " holds no quantized conv or linear layer; "
                        + "only quantized TorchScript models (torch.ao.quantization.convert, then torch.jit.save) are read");
            }
            List<Map.Entry<String, PackedParams>> entries = new ArrayList<>(packed.entrySet());
            entries.sort(Comparator.comparingLong(e -> weightStorage(e.getValue())));
            Unpacker unpacker = new Unpacker(zip, root, order, file, new HashMap<>());
            List<QuantizedLayer> layers = new ArrayList<>();
            for (Map.Entry<String, PackedParams> e : entries) {
                layers.add(unpacker.layer(e.getKey(), e.getValue()));
            }
            return layers;
        } catch (NoSuchFileException e) {
            throw new WeightsException("no weights file at " + file, e);
        } catch (ZipException e) {
            throw new WeightsException(file + " is not a complete zip archive (" + PthReader.oneLine(e)
                    + "); it may be truncated: download or save it again", e);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + PthReader.oneLine(e), e);
        }
    }

    /**
     * The archive's layers dequantized: {@code <module>.weight} (float32, {@code scale * (q - zero_point)})
     * and {@code <module>.bias}.
     *
     * @throws WeightsException as {@link #readQuantized}
     */
    public static Weights read(Path file) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (QuantizedLayer layer : readQuantized(file)) {
            tensors.put(layer.module() + ".weight", layer.weight().dequantize());
            if (layer.bias() != null) {
                tensors.put(layer.module() + ".bias", layer.bias());
            }
        }
        return new Weights(tensors);
    }

    private static Object unpickle(ZipFile zip, String root, Path file) {
        try (InputStream in = zip.getInputStream(zip.getEntry(root + "data.pkl"))) {
            return new TorchScriptUnpickler(file + " (data.pkl)").load(in);
        } catch (WeightsException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw new WeightsException(file + " has an unreadable data.pkl (" + PthReader.oneLine(e)
                    + "); save the model again with torch.jit.save", e);
        }
    }

    /** Finds every packed-parameters object under a module, keyed by the layer's module path. */
    private static void collect(Object node, String path, Map<String, PackedParams> out) {
        if (node instanceof PackedParams p) {
            out.put(modulePath(path), p);
        } else if (node instanceof ScriptObject module) {
            module.attributes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> collect(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        }
    }

    /** {@code _jit_pass_hoist_conv_packed_params.features.1.conv.1._packed_params.3} to {@code features.1.conv.1}. */
    static String modulePath(String attributePath) {
        String p = attributePath.startsWith(HOIST_PREFIX) ? attributePath.substring(HOIST_PREFIX.length()) : attributePath;
        return p.replaceAll("(\\._packed_params)+(\\.\\d+)?$", "");
    }

    /** The number of the storage that holds a layer's weight (torch numbers them in writing order). */
    private static long weightStorage(PackedParams p) {
        List<Object> parts = new ArrayList<>();
        if (p.state() instanceof Object[] s) {
            for (Object part : s) {
                if (part instanceof List<?> list) {
                    parts.addAll(list);
                } else {
                    parts.add(part);
                }
            }
        }
        for (Object o : parts) {
            if (o instanceof QTensorRef q && q.values().storage().key().matches("\\d{1,18}")) {
                return Long.parseLong(q.values().storage().key());
            }
        }
        return Long.MAX_VALUE;
    }

    /** Turns one packed-parameters object into a layer, reading the storages it refers to. */
    private record Unpacker(ZipFile zip, String root, ByteOrder order, Path file, Map<String, ByteBuffer> storages) {

        QuantizedLayer layer(String module, PackedParams p) {
            return p.type().endsWith("Conv2dPackedParamsBase") ? conv(module, p.state()) : linear(module, p.state());
        }

        private QuantizedLayer conv(String module, Object state) {
            // Conv packed params, version 2: ("2", [config int16, weight], [bias or None]);
            // config = [spatial dims, stride..., padding..., dilation..., output padding..., groups, transpose].
            if (!(state instanceof Object[] s) || s.length != 3 || !CONV_STATE_VERSION.equals(s[0])
                    || !(s[1] instanceof List<?> tensors) || tensors.size() < 2 || !(s[2] instanceof List<?> optional)
                    || !(tensors.get(0) instanceof TensorRef configRef) || !(tensors.get(1) instanceof QTensorRef weightRef)) {
                throw damaged(module, "conv packed parameters of an unknown layout (version 2 is read: "
                        + "torch 1.8 to 2.x with the default serialization)");
            }
            float[] config = floats(module + " config", configRef);
            int dims = (int) config[0];
            if (dims != 2 || config.length < 1 + 4 * dims + 2) {
                throw damaged(module, "a conv config of " + config.length + " values for " + dims + " spatial dims");
            }
            if (config[1 + 4 * dims + 1] != 0) {
                throw damaged(module, "a transposed conv (not supported)");
            }
            Tensor bias = optional.isEmpty() || optional.get(0) == null ? null : tensor(module + ".bias", optional.get(0));
            return new QuantizedLayer(module, QuantizedLayer.Kind.CONV2D, quantized(module + ".weight", weightRef), bias,
                    ints(config, 1, dims), ints(config, 1 + dims, dims), ints(config, 1 + 2 * dims, dims),
                    (int) config[1 + 4 * dims]);
        }

        private QuantizedLayer linear(String module, Object state) {
            // Linear packed params: (weight, bias or None).
            if (!(state instanceof Object[] s) || s.length < 2 || !(s[0] instanceof QTensorRef weightRef)) {
                throw damaged(module, "linear packed parameters of an unknown layout");
            }
            Tensor bias = s[1] == null ? null : tensor(module + ".bias", s[1]);
            return new QuantizedLayer(module, QuantizedLayer.Kind.LINEAR, quantized(module + ".weight", weightRef), bias,
                    new int[0], new int[0], new int[0], 1);
        }

        private QuantizedTensor quantized(String name, QTensorRef q) {
            float[] values = floats(name, q.values());
            byte[] int8 = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                int8[i] = (byte) values[i];
            }
            if (q.axis() < 0) {
                return new QuantizedTensor(q.values().shape().clone(), int8, new double[] {q.scale()},
                        new long[] {q.zeroPoint()}, -1);
            }
            float[] scales = floats(name + " scales", q.scales());
            float[] zeros = floats(name + " zero points", q.zeroPoints());
            double[] s = new double[scales.length];
            long[] z = new long[zeros.length];
            for (int c = 0; c < s.length; c++) {
                s[c] = scales[c];
                z[c] = (long) zeros[c];
            }
            try {
                return new QuantizedTensor(q.values().shape().clone(), int8, s, z, q.axis());
            } catch (IllegalArgumentException e) {
                throw damaged(name, e.getMessage());
            }
        }

        private Tensor tensor(String name, Object ref) {
            if (!(ref instanceof TensorRef t)) {
                throw damaged(name, "a " + TorchUnpickler.typeName(ref) + " where a tensor belongs");
            }
            ByteBuffer bytes = storages.computeIfAbsent(t.storage().key(),
                    key -> PthReader.storage(zip, root, t.storage(), order, file));
            return PthReader.gather(name, t, bytes, file);
        }

        private float[] floats(String name, TensorRef ref) {
            return tensor(name, ref).data();
        }

        private WeightsException damaged(String what, String problem) {
            return new WeightsException(file + ": " + what + " has " + problem);
        }

        private static int[] ints(float[] values, int from, int count) {
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                out[i] = (int) values[from + i];
            }
            return out;
        }
    }
}
