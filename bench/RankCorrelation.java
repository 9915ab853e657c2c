import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.transfer4j.select.SpearmanRho;
import org.transfer4j.select.WeightedKendallTau;

/**
 * How well each ranking score orders backbones by their mean test accuracy after training, per data
 * set: weighted Kendall τ (scipy's weightedtau defaults) and Spearman ρ, from transfer4j's own
 * implementations. Reads the TSV bench/rank.sh writes (dataset, backbone, logMe, knn, top1,
 * meanRank, meanAccuracy, ...; "nan" for a missing top-1) and prints Markdown.
 * Usage: java -cp transfer4j-core/target/transfer4j.jar:$(cat transfer4j-core/target/classpath.txt) bench/RankCorrelation.java rows.tsv
 */
public class RankCorrelation {

    private static final String[] SCORES = {"LogME", "kNN accuracy", "ImageNet top-1", "top-1 + LogME (mean rank)"};

    /** A number as Python writes it ("nan" for a missing one, which Java's parser does not take). */
    private static double number(String text) {
        return text.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(text);
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<String[]>> byDataset = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.isBlank()) {
                String[] f = line.split("\t");
                byDataset.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
            }
        }
        WeightedKendallTau tau = new WeightedKendallTau();
        SpearmanRho rho = new SpearmanRho();
        double[] tauSum = new double[SCORES.length];
        int[] tauCount = new int[SCORES.length];
        System.out.println("| data | score | weighted τ | Spearman ρ | backbones |");
        System.out.println("|---|---|---|---|---|");
        for (var e : byDataset.entrySet()) {
            for (int s = 0; s < SCORES.length; s++) {
                List<double[]> pairs = new ArrayList<>();
                for (String[] f : e.getValue()) {
                    double score = switch (s) {
                        case 0 -> number(f[2]);
                        case 1 -> number(f[3]);
                        case 2 -> number(f[4]);
                        default -> -number(f[5]); // lower mean rank is better
                    };
                    if (!Double.isNaN(score)) { // a backbone without a published top-1 is left out of that row
                        pairs.add(new double[] {score, number(f[6])});
                    }
                }
                double[] x = pairs.stream().mapToDouble(p -> p[0]).toArray();
                double[] y = pairs.stream().mapToDouble(p -> p[1]).toArray();
                double t = tau.score(x, y);
                double r = rho.score(x, y);
                if (!Double.isNaN(t)) {
                    tauSum[s] += t;
                    tauCount[s]++;
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %d |%n", e.getKey(), SCORES[s], t, r, x.length);
            }
        }
        System.out.println();
        System.out.println("| score | mean weighted τ over data sets | data sets |");
        System.out.println("|---|---|---|");
        double bestMean = Double.NEGATIVE_INFINITY;
        double[] means = new double[SCORES.length];
        for (int s = 0; s < SCORES.length; s++) {
            means[s] = tauCount[s] == 0 ? Double.NaN : tauSum[s] / tauCount[s];
            System.out.printf(Locale.ROOT, "| %s | %.3f | %d |%n", SCORES[s], means[s], tauCount[s]);
            if (!Double.isNaN(means[s])) {
                bestMean = Math.max(bestMean, means[s]);
            }
        }
        List<String> best = new ArrayList<>();
        for (int s = 0; s < SCORES.length; s++) {
            if (!Double.isNaN(means[s]) && means[s] >= bestMean - 1e-9) {
                best.add(SCORES[s]);
            }
        }
        System.out.println();
        System.out.println("Best score by mean weighted τ: " + (best.isEmpty() ? "none (too few backbones)"
                : String.join(", ", best) + (best.size() > 1 ? " (tied)" : "")) + ".");
    }
}
