package org.transfer4j.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Keras HDF5 files ({@code .h5}) with jHDF: a whole model saved by {@code model.save("x.h5")}
 * (weights under {@code model_weights}, the architecture in the {@code model_config} attribute) or the
 * weights alone from {@code save_weights("x.h5")} (what Keras applications publish). Layers come in the
 * file's {@code layer_names} order, each with the tensors its {@code weight_names} attribute lists.
 * The Keras 3 {@code .weights.h5} layout is not read.
 */
public final class KerasH5Reader {

    /** The 8-byte signature at the start of an HDF5 file without a user block. */
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private KerasH5Reader() {
    }

    /** Whether the file starts with the HDF5 signature. */
    public static boolean isHdf5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(SIGNATURE.length), SIGNATURE);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every layer's weights, and the layers' configurations when the file has them.
     *
     * @throws WeightsException naming the file when it is missing, not HDF5, truncated, or not a Keras file
     */
    public static KerasModel read(Path file) {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new WeightsException("no weights file at " + source);
        }
        if (!isHdf5(file)) {
            throw new WeightsException(source + " is not an HDF5 file (no HDF5 signature); expected a Keras .h5 "
                    + "saved with model.save or save_weights");
        }
        checkLength(file);
        try (HdfFile h5 = new HdfFile(file)) {
            Group root = h5.getChild("model_weights") instanceof Group g ? g : h5;
            Attribute names = root.getAttribute("layer_names");
            if (names == null) {
                throw new WeightsException(source + " is HDF5 but not a Keras model or weights file (no layer_names "
                        + "attribute); save it with Keras's model.save(\"x.h5\") or save_weights(\"x.h5\")");
            }
            List<KerasModel.Layer> layers = new ArrayList<>();
            for (String name : strings(source, names)) {
                layers.add(layer(source, root, name));
            }
            return new KerasModel(source, layers, configs(source, h5));
        } catch (HdfException | BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new WeightsException(source + " cannot be read as HDF5 (" + oneLine(e)
                    + "); the file is truncated or corrupt: fetch it again", e);
        }
    }

    private static KerasModel.Layer layer(String source, Group root, String name) {
        if (!(root.getChild(name) instanceof Group group)) {
            throw new WeightsException(source + ": layer '" + name + "' is listed in layer_names but has no group "
                    + "under " + root.getPath() + "; the file is damaged");
        }
        Attribute weightNames = group.getAttribute("weight_names");
        Map<String, Tensor> weights = new LinkedHashMap<>();
        if (weightNames != null) {
            for (String path : strings(source, weightNames)) {
                Node node = group.getByPath(path);
                if (!(node instanceof Dataset dataset)) {
                    throw new WeightsException(source + ": weight '" + path + "' of layer '" + name
                            + "' is not a dataset");
                }
                weights.put(shortName(path), tensor(source, dataset));
            }
        }
        return new KerasModel.Layer(name, weights);
    }

    /** {@code conv1/kernel:0} (Keras 2) or {@code conv1/kernel} (Keras 3) to {@code kernel}. */
    static String shortName(String weightPath) {
        String last = weightPath.substring(weightPath.lastIndexOf('/') + 1);
        return last.replaceFirst(":\\d+$", "");
    }

    private static Tensor tensor(String source, Dataset d) {
        long[] shape = Arrays.stream(d.getDimensions()).asLongStream().toArray();
        Object flat = d.isScalar() ? null : d.getDataFlat();
        float[] values;
        if (flat instanceof float[] f) {
            values = f;
        } else if (flat instanceof double[] doubles) {
            values = new float[doubles.length];
            for (int i = 0; i < doubles.length; i++) {
                values[i] = (float) doubles[i];
            }
        } else {
            throw new WeightsException(source + ": dataset " + d.getPath() + " holds " + d.getJavaType().getSimpleName()
                    + (d.isScalar() ? " (a scalar)" : "") + ", not float weights");
        }
        return new Tensor(shape, values);
    }

    /** Layer name to its entry in the {@code model_config} attribute; empty when the file has none. */
    private static Map<String, JsonNode> configs(String source, HdfFile h5) {
        Attribute attribute = h5.getAttribute("model_config");
        if (attribute == null) {
            return Map.of();
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(strings(source, attribute).get(0));
        } catch (JsonProcessingException e) {
            throw new WeightsException(source + ": its model_config attribute is not JSON (" + oneLine(e) + ")", e);
        }
        JsonNode config = root.path("config");
        JsonNode list = config.isArray() ? config : config.path("layers");  // old Sequential: a bare list
        Map<String, JsonNode> configs = new LinkedHashMap<>();
        for (JsonNode layer : list) {
            String name = layer.has("name") ? layer.get("name").asText() : layer.path("config").path("name").asText();
            configs.put(name, layer);
        }
        return configs;
    }

    /** An HDF5 string attribute as a list: a scalar string or an array of (fixed-length) strings. */
    private static List<String> strings(String source, Attribute attribute) {
        if (attribute.isEmpty() || attribute.getSize() == 0) {
            return List.of();  // Keras writes an empty weight_names for layers without weights
        }
        Object data = attribute.getData();
        if (data instanceof String s) {
            return List.of(s);
        }
        if (data instanceof Object[] array) {
            return Arrays.stream(array).map(String::valueOf).toList();
        }
        throw new WeightsException(source + ": attribute '" + attribute.getName() + "' should be text, but holds "
                + (data == null ? "nothing readable; the file is truncated or corrupt" : data.getClass().getSimpleName()));
    }

    /** The superblock records where the file ends; a shorter file was cut off in transfer. */
    private static void checkLength(Path file) {
        try (FileChannel channel = FileChannel.open(file)) {
            Superblock superblock = Superblock.readSuperblock(channel, 0);
            long expected = superblock.getBaseAddressByte() + superblock.getEndOfFileAddress();
            if (channel.size() < expected) {
                throw new WeightsException(file + " is truncated: " + channel.size() + " bytes, but its HDF5 header says "
                        + expected + "; fetch it again");
            }
        } catch (HdfException | BufferUnderflowException e) {
            throw new WeightsException(file + " has no readable HDF5 superblock (" + oneLine(e)
                    + "); the file is truncated or corrupt: fetch it again", e);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + oneLine(e), e);
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
