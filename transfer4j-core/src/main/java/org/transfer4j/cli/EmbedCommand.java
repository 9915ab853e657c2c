package org.transfer4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.exec.Calibration;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.unlabeled.Embedder;
import org.transfer4j.unlabeled.EmbeddingFiles;
import org.transfer4j.unlabeled.Embeddings;
import org.transfer4j.data.ImageTree;
import org.transfer4j.weights.WeightStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transfer4j embed}: backbone features of every image under a folder, for NumPy, pandas or search. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Backbone features of every image under a folder (any depth, labelled or not), through the "
                + "feature cache: writes OUT/embeddings.npy (float32, one row per image), OUT/index.csv (path, "
                + "content hash, class folder, in row order) and OUT/manifest.json.")
final class EmbedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The image folder.")
    Path data;

    @Mixin
    WeightOptions weights;

    @Mixin
    ReadOptions reading;

    @Mixin
    PrecisionOptions precision;

    @Mixin
    DeviceOption device;

    @Option(names = "--out", paramLabel = "OUT", required = true, description = "The folder to write into.")
    Path out;

    @Option(names = "--json", description = "Print the manifest as JSON instead of one line.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        weights.validate();
        reading.validate();
        Calibration.Settings int8 = Usage.map(spec, () -> precision.calibration(Calibration.Settings.defaults().seed()));
        org.transfer4j.exec.Device used = device.resolve(false);
        ImageTree tree = ImageTree.scan(data);
        Embeddings e = embedder(weights, reading).int8(int8).device(used).embed(tree);
        EmbeddingFiles.write(e, out);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("out", out.toAbsolutePath().normalize().toString());
        r.put("count", e.count());
        r.put("width", e.width());
        r.put("backbone", e.backbone());
        r.put("weightsSha256", e.weightsSha256());
        r.put("preprocessing", e.preprocessing());
        r.put("skipped", e.skipped().size());
        r.put("device", used.toString());
        if (json) {
            ObjectMapper compact = ModelBundle.json().copy().disable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(compact.writeValueAsString(r));
        } else {
            System.out.println(e.count() + " embeddings of width " + e.width() + " (" + e.backbone() + ") written to "
                    + out.resolve(EmbeddingFiles.NPY) + (e.skipped().isEmpty() ? "" : "; " + e.skipped().size()
                    + " files skipped"));
        }
        return 0;
    }

    /** The embedder the options describe: backbone and weights, threads and pixel limit, the default cache. */
    static Embedder embedder(WeightOptions weights, ReadOptions reading) {
        BatchLoader.Options loading = BatchLoader.Options.defaults().withMaxPixels(reading.maxPixels);
        if (reading.threads != null) {
            loading = loading.withThreads(reading.threads);
        }
        return new Embedder(weights.load(), WeightStore.home().resolve("features"), loading, System.err);
    }
}
