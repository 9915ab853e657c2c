import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.transfer4j.DatasetFeatures;
import org.transfer4j.Transfer;
import org.transfer4j.semi.HeadTraining;
import org.transfer4j.semi.SemiMethod;
import org.transfer4j.semi.SemiSupervision;
import org.transfer4j.semi.Suggestions;
import org.transfer4j.train.GraphTrainer;
import org.transfer4j.train.LabelledFeatures;
import org.transfer4j.train.TrainConfig;

/**
 * Issue 16's simulation: the labels of a data set's training split are hidden and revealed on request.
 * Features come from the feature cache (one backbone pass per image, ever); the head is the default
 * recipe's (TrainConfig.frozen(), seeded), trained by the one GraphTrainer through HeadTraining.onFeatures,
 * as `train --unlabeled` trains it; the test split is scored once per run, never read by a choice.
 *
 * Semi-supervised: L labelled images per class drawn with the seed; of those, max(1, round(0.1 L)) per class
 * are the validation split (as `train` carves it) and the rest train; every other training image is
 * unlabeled. Methods: plain (labelled rows only), spread, pseudo (SemiSupervision.run, choices on the
 * validation rows). Prints: semi DATA SEED L METHOD TEST_ACCURACY SECONDS CHOICE UNLABELED LABELS_GIVEN LABELS_RIGHT
 * (the hidden labels score the labels given: a diagnostic, never an input)
 *
 * Active learning: 2 labelled images per class drawn with the seed (no validation split: nothing is
 * chosen), then 5 rounds of 10: `suggest`'s ranking (Suggestions.rank on the head's probabilities and the
 * features) against 10 random picks (the seed's generator); the head retrains each round. Prints:
 * al DATA SEED STRATEGY LABELLED TEST_ACCURACY
 *
 * Usage: java -cp transfer4j-core/target/transfer4j.jar:$(cat transfer4j-core/target/classpath.txt) bench/SemiBench.java WEIGHTS_DIR CACHE DATA_DIR SEED...
 */
public class SemiBench {

    public static void main(String[] args) {
        Path weights = Path.of(args[0]);
        Path cache = Path.of(args[1]);
        Path data = Path.of(args[2]);
        String name = data.getFileName().toString();
        DatasetFeatures f = Transfer.from(data).weightsDir(weights).cacheDir(cache).valSplit(0).progress(false)
                .log(System.err).features();
        int classes = f.numClasses();
        for (int a = 3; a < args.length; a++) {
            long seed = Long.parseLong(args[a]);
            TrainConfig config = TrainConfig.frozen().withSeed(seed);
            HeadTraining training = HeadTraining.onFeatures(config, f.backbone().graph(), f.backbone().featureWidth(),
                    classes);
            for (int perClass : new int[] {5, 20}) {
                semi(name, f, seed, perClass, training);
            }
            activeLearning(name, f, seed, training);
        }
    }

    private static void semi(String name, DatasetFeatures f, long seed, int perClass, HeadTraining training) {
        LabelledFeatures train = f.train();
        int classes = f.numClasses();
        List<Integer> labelled = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> unlabeled = new ArrayList<>();
        int valPerClass = Math.max(1, (int) Math.round(0.1 * perClass));
        for (int c = 0; c < classes; c++) {
            List<Integer> rows = shuffledRowsOf(train, c, seed);
            validation.addAll(rows.subList(0, valPerClass));
            labelled.addAll(rows.subList(valPerClass, perClass));
            unlabeled.addAll(rows.subList(perClass, rows.size()));
        }
        GraphTrainer.CutData l = cut(train, labelled);
        GraphTrainer.CutData v = cut(train, validation);
        float[][] u = unlabeled.stream().map(i -> train.features()[i]).toArray(float[][]::new);
        for (SemiMethod method : new SemiMethod[] {SemiMethod.NONE, SemiMethod.SPREAD, SemiMethod.PSEUDO}) {
            long start = System.nanoTime();
            SemiSupervision.Outcome o = SemiSupervision.run(method, l, u, v, classes, training);
            double accuracy = accuracy(training.trainAndPredict(o.train(), f.test().features()), f.test().labels());
            int given = 0;
            int right = 0;
            for (int k = 0; k < unlabeled.size(); k++) {
                if (o.labels()[k] >= 0) {
                    given++;
                    right += o.labels()[k] == train.labels()[unlabeled.get(k)] ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "semi\t%s\t%d\t%d\t%s\t%.4f\t%.1f\t%s\t%d\t%d\t%d%n", name, seed, perClass,
                    method == SemiMethod.NONE ? "plain" : method.option(), accuracy, (System.nanoTime() - start) / 1e9,
                    method == SemiMethod.NONE ? "-" : o.choice(), unlabeled.size(), given, right);
        }
    }

    private static void activeLearning(String name, DatasetFeatures f, long seed, HeadTraining training) {
        LabelledFeatures train = f.train();
        int classes = f.numClasses();
        for (String strategy : new String[] {"suggest", "random"}) {
            List<Integer> labelled = new ArrayList<>();
            List<Integer> pool = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                List<Integer> rows = shuffledRowsOf(train, c, seed);
                labelled.addAll(rows.subList(0, 2));
                pool.addAll(rows.subList(2, rows.size()));
            }
            pool.sort(null);
            Random random = new Random(seed * 7919 + 1);
            for (int round = 0; round <= 5; round++) {
                float[][] poolRows = pool.stream().map(i -> train.features()[i]).toArray(float[][]::new);
                float[][] both = Arrays.copyOf(poolRows, poolRows.length + f.test().size());
                System.arraycopy(f.test().features(), 0, both, poolRows.length, f.test().size());
                float[][] p = training.trainAndPredict(cut(train, labelled), both);
                double accuracy = accuracy(Arrays.copyOfRange(p, poolRows.length, p.length), f.test().labels());
                System.out.printf(Locale.ROOT, "al\t%s\t%d\t%s\t%d\t%.4f%n", name, seed, strategy, labelled.size(), accuracy);
                if (round == 5) {
                    break;
                }
                List<Integer> picked = new ArrayList<>();
                if (strategy.equals("suggest")) {
                    for (Suggestions.Suggestion s : Suggestions.rank(Arrays.copyOf(p, poolRows.length), poolRows, 10)) {
                        picked.add(pool.get(s.row()));
                    }
                } else {
                    List<Integer> copy = new ArrayList<>(pool);
                    java.util.Collections.shuffle(copy, random);
                    picked.addAll(copy.subList(0, 10));
                }
                labelled.addAll(picked);
                pool.removeAll(picked);
            }
        }
    }

    /** The training rows of class c, shuffled by the seed (the same draw for every method). */
    private static List<Integer> shuffledRowsOf(LabelledFeatures train, int c, long seed) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            if (train.labels()[i] == c) {
                rows.add(i);
            }
        }
        java.util.Collections.shuffle(rows, new Random(seed * 1_000_003L + c));
        return rows;
    }

    private static GraphTrainer.CutData cut(LabelledFeatures all, List<Integer> rows) {
        return new GraphTrainer.CutData(rows.stream().map(i -> all.features()[i]).toArray(float[][]::new),
                rows.stream().mapToInt(i -> all.labels()[i]).toArray());
    }

    private static double accuracy(float[][] probabilities, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < probabilities[i].length; c++) {
                if (probabilities[i][c] > probabilities[i][best]) {
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }
}
