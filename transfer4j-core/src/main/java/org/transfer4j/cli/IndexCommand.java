package org.transfer4j.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.unlabeled.Embedder;
import org.transfer4j.unlabeled.EmbeddingFiles;
import org.transfer4j.unlabeled.Embeddings;
import org.transfer4j.data.ImageTree;
import org.transfer4j.unlabeled.NeighbourIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transfer4j index}: a similar-image index of a folder, updated incrementally. */
@Command(name = "index", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Make or update a similar-image index of every image under a folder (the files of 'embed'). "
                + "An existing index is updated: only images with new content are embedded, removed ones are dropped. "
                + "Search it with 'transfer4j similar INDEX IMAGE...'.")
final class IndexCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The image folder.")
    Path data;

    @Mixin
    WeightOptions weights;

    @Mixin
    ReadOptions reading;

    @Option(names = "--out", paramLabel = "INDEX", required = true, description = "The index folder.")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON instead of one line.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        reading.validate();
        ImageTree tree = ImageTree.scan(data);
        Embeddings previous = Files.exists(out.resolve(EmbeddingFiles.MANIFEST)) ? EmbeddingFiles.read(out) : null;
        if (previous != null && !spec.commandLine().getParseResult().hasMatchedOption("--backbone")) {
            weights.backbone = previous.backbone().split(":")[0];
        }
        weights.validate();
        Embedder embedder = EmbedCommand.embedder(weights, reading);
        Embeddings e = previous == null ? embedder.embed(tree) : embedder.update(tree, previous);
        EmbeddingFiles.write(e, out);
        String search = e.count() >= NeighbourIndex.HNSW_THRESHOLD ? "hnsw from " + NeighbourIndex.HNSW_MIN_QUERIES
                + " queries at once, else exact" : "exact";
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", out.toAbsolutePath().normalize().toString());
            r.put("count", e.count());
            r.put("previous", previous == null ? 0 : previous.count());
            r.put("backbone", e.backbone());
            r.put("search", search);
            System.out.println(ModelBundle.json().copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        } else {
            System.out.println(e.count() + " images indexed in " + out + " (" + e.backbone() + "); searches: " + search
                    + " (an HNSW graph is built from " + NeighbourIndex.HNSW_THRESHOLD + " images and "
                    + NeighbourIndex.HNSW_MIN_QUERIES + " query images on, where it pays for its build)");
        }
        return 0;
    }
}
