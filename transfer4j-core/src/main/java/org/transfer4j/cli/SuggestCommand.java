package org.transfer4j.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.report.ContactSheet;
import org.transfer4j.report.ReportWriter;
import org.transfer4j.semi.LabelSuggester;
import org.transfer4j.unlabeled.FolderLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transfer4j suggest}: the unlabeled images a trained model would learn most from if labelled next. */
@Command(name = "suggest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Rank the images under DIR (or an index written by 'transfer4j index') by how much a label would "
                + "help the model in RUN_DIR: uncertainty (1 - margin between the top two classes) times the feature "
                + "distance to the suggestions already picked (k-center greedy); writes suggestions.csv and "
                + "suggestions.png (a contact sheet).")
final class SuggestCommand implements Callable<Integer> {

    /** The ranked list. */
    static final String CSV = "suggestions.csv";
    /** The contact sheet. */
    static final String SHEET = "suggestions.png";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A model bundle written by 'transfer4j train'.")
    Path runDir;

    @Parameters(index = "1", paramLabel = "DIR", description = "A folder of unlabeled images (any depth), or an index folder.")
    Path dir;

    @Option(names = "--n", description = "How many suggestions. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--out", paramLabel = "OUT",
            description = "Where to write suggestions.csv and suggestions.png. Default: runs/suggest-<dir>-<time>/.")
    Path out;

    @Option(names = "--copy-to", paramLabel = "TO_LABEL",
            description = "Also lay the suggested images out in this new folder (links where possible, else copies), "
                    + "named by rank, ready to be sorted into class folders.")
    Path copyTo;

    @Option(names = "--json", description = "Print the suggestions as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Usage.check(spec, () -> {
            if (n < 1) {
                throw new IllegalArgumentException("--n must be at least 1, got " + n);
            }
        });
        List<LabelSuggester.Suggested> picked;
        try (ImageClassifier model = ImageClassifier.load(runDir)) {
            picked = Usage.map(spec, () -> new LabelSuggester(model).suggest(dir, n));
        }
        Path target = out != null ? out : Path.of("runs", "suggest-" + dir.toAbsolutePath().normalize().getFileName()
                + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        StringBuilder csv = new StringBuilder("rank,path,predicted,probability,margin,distance,score\n");
        List<ContactSheet.Tile> tiles = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (int i = 0; i < picked.size(); i++) {
            LabelSuggester.Suggested s = picked.get(i);
            csv.append(String.format(Locale.ROOT, "%d,%s,%s,%.4f,%.4f,%.4f,%.4f%n", i + 1, s.path(), s.predicted(),
                    s.figures().probability(), s.figures().margin(), s.figures().distance(), s.figures().score()));
            tiles.add(new ContactSheet.Tile(s.file(), String.format(Locale.ROOT, "%d. %s? margin %.2f", i + 1,
                    s.predicted(), s.figures().margin())));
            table.append(String.format(Locale.ROOT, "%3d  %-40s  %s %.3f  margin %.3f%n", i + 1, s.path(), s.predicted(),
                    s.figures().probability(), s.figures().margin()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rank", i + 1);
            row.put("path", s.path());
            row.put("predicted", s.predicted());
            row.put("probability", s.figures().probability());
            row.put("margin", s.figures().margin());
            row.put("distance", s.figures().distance());
            row.put("score", s.figures().score());
            rows.add(row);
        }
        if (copyTo != null) {
            List<Path> sources = picked.stream().map(LabelSuggester.Suggested::file).toList();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < picked.size(); i++) {
                names.add(String.format(Locale.ROOT, "%03d__%s", i + 1, picked.get(i).path().replace("/", "__")));
            }
            Usage.check(spec, () -> FolderLayout.write(copyTo, "--copy-to", sources, names));
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(CSV, csv.toString().getBytes(StandardCharsets.UTF_8));
        files.put(SHEET, ContactSheet.png(tiles, 5, System.err));
        ReportWriter.save(target, files);
        System.err.println("suggestions written to " + target.resolve(CSV) + " and " + target.resolve(SHEET)
                + (copyTo == null ? "" : "; images laid out in " + copyTo));
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("model", runDir.toString());
            r.put("folder", dir.toString());
            r.put("suggestions", rows);
            r.put("out", target.toString());
            System.out.println(ModelBundle.json().copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        } else {
            System.out.print(table);
        }
        return 0;
    }
}
