package org.transfer4j.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.report.ClusterPage;
import org.transfer4j.report.ReportWriter;
import org.transfer4j.unlabeled.Clusters;
import org.transfer4j.unlabeled.Embeddings;
import org.transfer4j.data.ImageTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transfer4j cluster}: groups a folder's images by k-means on their embeddings, to start labelling from. */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Group every image under a folder by k-means (k-means++ seeding, seeded restarts) on L2-normalised "
                + "backbone features; writes clusters.csv, a contact sheet per cluster (nearest to the centre first) "
                + "and clusters.html; --write-folders lays the images out as cluster-01/... to name and train on.")
final class ClusterCommand implements Callable<Integer> {

    /** The assignment file. */
    static final String CSV = "clusters.csv";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The image folder.")
    Path data;

    @Option(names = "--k", paramLabel = "N|auto",
            description = "Clusters, or 'auto': the k in 2.." + Clusters.AUTO_MAX_K
                    + " of highest mean silhouette. Default: ${DEFAULT-VALUE}.")
    String k;

    @Option(names = "--seed", description = "Seed of the k-means seedings. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    WeightOptions weights;

    @Mixin
    ReadOptions reading;

    @Option(names = "--out", paramLabel = "OUT",
            description = "Where to write clusters.csv, the contact sheets and clusters.html. Default: runs/cluster-<dataset>-<time>/.")
    Path out;

    @Option(names = "--write-folders", paramLabel = "OUT2",
            description = "Also lay the images out as OUT2/cluster-01/... (links where possible, else copies).")
    Path folders;

    @Option(names = "--json", description = "Print the clusters as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        int clusters = Usage.map(spec, this::parseK);
        weights.validate();
        reading.validate();
        ImageTree tree = ImageTree.scan(data);
        Embeddings e = EmbedCommand.embedder(weights, reading).embed(tree);
        Clusters result = Usage.map(spec, () -> Clusters.of(e, clusters, seed));
        Path target = out != null ? out : Path.of("runs", "cluster-" + tree.root().getFileName() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(CSV, result.csv());
        files.putAll(ClusterPage.render(result, "Clusters of " + tree.root().getFileName(), System.err));
        ReportWriter.save(target, files);
        System.err.println("clusters written to " + target.resolve(CSV) + " and " + target.resolve(ClusterPage.HTML));
        if (folders != null) {
            boolean links = Usage.map(spec, () -> result.writeFolders(folders));
            System.err.println("cluster folders written to " + folders + (links ? " (links)" : " (copies)"));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%d clusters of %d images%s%n", result.k(),
                e.count(), result.silhouettes().isEmpty() ? "" : " (k chosen by silhouette)"));
        for (int c = 0; c < result.k(); c++) {
            List<Integer> members = result.members(c);
            String nearest = e.items().get(members.get(0)).path();
            table.append(String.format(Locale.ROOT, "  %s  %5d images  nearest the centre: %s%n", Clusters.name(c),
                    members.size(), nearest));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cluster", Clusters.name(c));
            row.put("images", members.size());
            row.put("nearestToCentre", nearest);
            rows.add(row);
        }
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("k", result.k());
            r.put("images", e.count());
            r.put("backbone", e.backbone());
            r.put("silhouettes", new TreeMap<>(result.silhouettes()));
            r.put("clusters", rows);
            r.put("out", target.toString());
            System.out.println(ModelBundle.json().copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        } else {
            System.out.print(table);
        }
        return 0;
    }

    private int parseK() {
        if (k.equalsIgnoreCase("auto")) {
            return 0;
        }
        try {
            int n = Integer.parseInt(k);
            if (n < 1) {
                throw new IllegalArgumentException("--k must be 'auto' or at least 1, got " + k);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--k must be a number of clusters or 'auto', got '" + k + "'");
        }
    }
}
