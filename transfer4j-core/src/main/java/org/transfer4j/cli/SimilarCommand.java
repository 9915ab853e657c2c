package org.transfer4j.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.transfer4j.data.DatasetException;
import org.transfer4j.data.ProgressBar;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.report.ContactSheet;
import org.transfer4j.report.ReportWriter;
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

/** {@code transfer4j similar}: the images of an index (or a folder) most like each query image. */
@Command(name = "similar", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The images most like each query image, by cosine similarity of backbone features: prints "
                + "paths and similarities and writes a contact sheet PNG per query (the query first). The first "
                + "argument is an index ('transfer4j index') or an image folder, embedded on the spot.")
final class SimilarCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INDEX_OR_DIR", description = "An index folder or an image folder.")
    Path source;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Query images.")
    List<Path> queries;

    @Option(names = "--k", description = "Neighbours per query. Default: ${DEFAULT-VALUE}.")
    int k;

    @Mixin
    WeightOptions weights;

    @Mixin
    ReadOptions reading;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the contact sheets. Default: runs/similar-<time>/.")
    Path out;

    @Option(names = "--json", description = "Print the neighbours as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw Usage.error(spec, "--k must be at least 1, got " + k);
        }
        reading.validate();
        for (Path q : queries) {
            if (!Files.isRegularFile(q)) {
                throw new DatasetException("query image '" + q + "' does not exist or is not a file");
            }
        }
        boolean isIndex = Files.isRegularFile(source.resolve(EmbeddingFiles.MANIFEST));
        if (!isIndex && !Files.isDirectory(source)) {
            throw new DatasetException("'" + source + "' is neither an index folder (with " + EmbeddingFiles.MANIFEST
                    + ") nor an image folder");
        }
        Embeddings stored = isIndex ? EmbeddingFiles.read(source) : null;
        ImageTree tree = isIndex ? null : ImageTree.scan(source);
        if (stored != null && !spec.commandLine().getParseResult().hasMatchedOption("--backbone")) {
            weights.backbone = stored.backbone().split(":")[0];
        }
        weights.validate();
        Embedder embedder = EmbedCommand.embedder(weights, reading);
        Embeddings indexed = stored != null ? stored : embedder.embed(tree);
        if (!indexed.weightsSha256().equals(embedder.backbone().sha256())) {
            throw new DatasetException(source + " was made with " + indexed.backbone() + " (weights "
                    + indexed.weightsSha256().substring(0, 12) + "), not " + embedder.backbone().set().id()
                    + "; give the same --backbone and weights, or index the folder again");
        }
        Embeddings asked = embedder.embed(Path.of("").toAbsolutePath(), queries);
        if (!asked.skipped().isEmpty()) {
            throw new DatasetException("query image " + asked.skipped().get(0));
        }
        NeighbourIndex index = NeighbourIndex.usesHnsw(indexed.count(), asked.count())
                ? NeighbourIndex.approximate(indexed.vectors(), ProgressBar.toStderr("HNSW graph", indexed.count()))
                : NeighbourIndex.exact(indexed.vectors());
        Path target = out != null ? out : Path.of("runs", "similar-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, byte[]> sheets = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder();
        for (int q = 0; q < asked.count(); q++) {
            String hash = asked.items().get(q).contentHash();
            long same = indexed.items().stream().filter(i -> i.contentHash().equals(hash)).count();
            List<NeighbourIndex.Neighbour> found = new ArrayList<>(index.search(asked.vectors()[q], k + (int) same));
            found.removeIf(n -> indexed.items().get(n.row()).contentHash().equals(hash)); // the query itself
            List<NeighbourIndex.Neighbour> top = found.subList(0, Math.min(k, found.size()));
            Path queryFile = queries.get(q);
            List<ContactSheet.Tile> tiles = new ArrayList<>();
            tiles.add(new ContactSheet.Tile(queryFile, "query\n" + queryFile.getFileName()));
            List<Map<String, Object>> rows = new ArrayList<>();
            table.append("query ").append(queryFile).append(" (").append(index.isApproximate() ? "HNSW" : "exact")
                    .append(" search over ").append(index.size()).append(" images)\n");
            for (int r = 0; r < top.size(); r++) {
                NeighbourIndex.Neighbour n = top.get(r);
                Embeddings.Item item = indexed.items().get(n.row());
                tiles.add(new ContactSheet.Tile(indexed.file(n.row()),
                        String.format(Locale.ROOT, "%d. %.3f\n%s", r + 1, n.similarity(), item.path())));
                table.append(String.format(Locale.ROOT, "  %2d  %.4f  %s%n", r + 1, n.similarity(), item.path()));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("path", item.path());
                row.put("similarity", n.similarity());
                row.put("classFolder", item.classFolder());
                rows.add(row);
            }
            String sheet = String.format(Locale.ROOT, "similar-%02d.png", q + 1);
            sheets.put(sheet, ContactSheet.png(tiles, Math.min(6, tiles.size()), System.err));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("query", queryFile.toString());
            result.put("search", index.isApproximate() ? "hnsw" : "exact");
            result.put("neighbours", rows);
            result.put("contactSheet", target.resolve(sheet).toString());
            results.add(result);
        }
        ReportWriter.save(target, sheets);
        System.err.println("contact sheets written to " + target);
        if (json) {
            System.out.println(ModelBundle.json().copy().disable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(results));
        } else {
            System.out.print(table);
        }
        return 0;
    }
}
