import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.transfer4j.unlabeled.ClusterAgreement;

/**
 * Scores a clusters.csv written by `transfer4j cluster` against the labels it never saw: the class of an
 * image is the name of the folder that holds it (cats_dogs/train/cats/x.jpg is a cat). Prints one
 * tab-separated line: images, clusters, accuracy after Hungarian matching, NMI, ARI (transfer4j's
 * ClusterAgreement). Paths with commas are not expected in the benchmark data sets.
 * Usage: java -cp transfer4j-core/target/transfer4j.jar:$(cat transfer4j-core/target/classpath.txt) bench/ClusterScore.java clusters.csv
 */
public class ClusterScore {

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<String[]> rows = lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
        List<String> classNames = List.copyOf(new TreeSet<>(rows.stream().map(ClusterScore::folder).toList()));
        List<String> clusterNames = List.copyOf(new TreeSet<>(rows.stream().map(r -> r[3]).toList()));
        int[] classes = rows.stream().mapToInt(r -> classNames.indexOf(folder(r))).toArray();
        int[] clusters = rows.stream().mapToInt(r -> clusterNames.indexOf(r[3])).toArray();
        ClusterAgreement a = ClusterAgreement.of(classes, clusters);
        System.out.printf(Locale.ROOT, "%d\t%d\t%.4f\t%.4f\t%.4f%n", rows.size(), clusterNames.size(), a.accuracy(),
                a.nmi(), a.ari());
    }

    private static String folder(String[] row) {
        String[] parts = row[0].split("/");
        return parts.length < 2 ? "" : parts[parts.length - 2];
    }
}
