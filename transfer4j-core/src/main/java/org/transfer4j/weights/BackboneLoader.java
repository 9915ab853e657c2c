package org.transfer4j.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transfer4j.arch.Architectures;
import org.transfer4j.arch.DenseNet;
import org.transfer4j.arch.Graph;

/** Loads a backbone by name: finds its weights ({@link WeightStore}), reads them, checks them. */
public final class BackboneLoader {

    private BackboneLoader() {
    }

    /**
     * Loads a backbone.
     *
     * @param name backbone name ({@code mobilenet_v2})
     * @param weightsFile an explicit weights file, or null to resolve through the store
     * @param store where to look for official weight files
     * @throws WeightsException when the weights cannot be found, read, verified or fitted
     */
    public static Backbone load(String name, Path weightsFile, WeightStore store) {
        WeightStore.Resolved resolved = weightsFile != null ? explicit(name, weightsFile) : store.resolve(name);
        return load(resolved.set(), resolved.file());
    }

    /** Loads a given weight set from a given file. */
    public static Backbone load(WeightSet set, Path file) {
        Graph graph = Architectures.build(set.architecture());
        Weights weights = switch (set.format()) {
            case TFLITE -> TfliteImport.load(file, graph);
            case PTH -> normalise(WeightFiles.read(file), set);
            case KERAS_H5 -> KerasImport.load(file, graph);
            case TORCHSCRIPT -> TorchScriptReader.read(file);
        };
        weights.checkAgainst(graph, file.toString());
        return new Backbone(set, file, WeightStore.sha256(file), graph, weights);
    }

    /** Picks the backbone's weight set whose format matches the file's content. */
    private static WeightStore.Resolved explicit(String name, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new WeightsException(file + ": no such weights file");
        }
        WeightSet.Format format = isTflite(file) ? WeightSet.Format.TFLITE
                : KerasH5Reader.isHdf5(file) ? WeightSet.Format.KERAS_H5
                : WeightFiles.isTorchScript(file) ? WeightSet.Format.TORCHSCRIPT : WeightSet.Format.PTH;
        List<WeightSet> sets = WeightRegistry.setsOf(name);
        for (WeightSet set : sets) {
            if (set.fileName().equals(file.getFileName().toString())) {
                WeightStore.verify(file, set);
                return new WeightStore.Resolved(set, file);
            }
        }
        for (WeightSet set : sets) {
            if (set.format() == format) {
                return new WeightStore.Resolved(set, file);
            }
        }
        throw new WeightsException(file + ": a " + format + " file, but " + name + " has no weight set of that format");
    }

    private static boolean isTflite(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            return head.length == 8 && head[4] == 'T' && head[5] == 'F' && head[6] == 'L' && head[7] == '3';
        } catch (java.io.IOException e) {
            throw new WeightsException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Applies the key mapping an architecture's official files need (DenseNet's legacy names). */
    private static Weights normalise(Weights weights, WeightSet set) {
        if (!set.architecture().startsWith("densenet")) {
            return weights;
        }
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        weights.asMap().forEach((k, v) -> renamed.put(DenseNet.modernKey(k), v));
        return new Weights(renamed);
    }
}
