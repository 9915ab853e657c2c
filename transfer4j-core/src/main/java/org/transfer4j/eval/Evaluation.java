package org.transfer4j.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well predictions match the truth: accuracy, confusion matrix, per-class precision, recall
 * and F1, top-k accuracy and the most-confused class pairs. An immutable result; rendering is the
 * report's job.
 *
 * @param classes class names, index = class id
 * @param confusion {@code confusion[truth][predicted]} counts
 * @param topKAccuracy {@code topKAccuracy[k - 1]}: share of images whose true class is among the k
 *     most probable, for k = 1..classes; empty when only the predicted classes were known
 */
public record Evaluation(List<String> classes, long[][] confusion, double[] topKAccuracy) {

    /** Per-class figures. */
    public record ClassMetrics(String name, double precision, double recall, double f1, long support) {
    }

    /**
     * A pair of classes the model mixes up.
     *
     * @param truth the true class
     * @param predicted the class predicted instead
     * @param count how many images of {@code truth} were predicted as {@code predicted}
     * @param rate {@code count} as a share of {@code truth}'s images
     */
    public record ConfusedPair(String truth, String predicted, long count, double rate) {
    }

    public Evaluation {
        classes = List.copyOf(classes);
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            if (confusion[i].length != classes.size()) {
                throw new IllegalArgumentException("confusion row " + i + " has " + confusion[i].length
                        + " columns for " + classes.size() + " classes");
            }
            copy[i] = confusion[i].clone();
        }
        if (copy.length != classes.size()) {
            throw new IllegalArgumentException("confusion has " + copy.length + " rows for " + classes.size() + " classes");
        }
        confusion = copy;
        topKAccuracy = topKAccuracy.clone();
    }

    /** An evaluation from counts alone (no top-k beyond what the matrix gives). */
    public Evaluation(List<String> classes, long[][] confusion) {
        this(classes, confusion, new double[0]);
    }

    /** A copy of the confusion matrix, {@code [truth][predicted]}. */
    @Override
    public long[][] confusion() {
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    @Override
    public double[] topKAccuracy() {
        return topKAccuracy.clone();
    }

    /** Builds the evaluation from parallel arrays of true and predicted class ids. */
    public static Evaluation of(List<String> classes, int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth and predictions differ in length");
        }
        long[][] m = new long[classes.size()][classes.size()];
        for (int i = 0; i < truth.length; i++) {
            m[truth[i]][predicted[i]]++;
        }
        return new Evaluation(List.copyOf(classes), m);
    }

    /**
     * Builds the evaluation from true class ids and per-image class probabilities (or any scores
     * whose largest value is the prediction): confusion matrix from the most probable class, and
     * top-k accuracy for every k. Ties go to the lower class id, as argmax does.
     */
    public static Evaluation of(List<String> classes, int[] truth, float[][] probabilities) {
        if (truth.length != probabilities.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " entries but there are "
                    + probabilities.length + " probability rows");
        }
        int c = classes.size();
        long[][] m = new long[c][c];
        long[] withinK = new long[c];
        for (int i = 0; i < truth.length; i++) {
            float[] p = probabilities[i];
            if (p.length != c) {
                throw new IllegalArgumentException("probability row " + i + " has " + p.length + " values for " + c + " classes");
            }
            int best = 0;
            int rank = 0;
            for (int k = 0; k < c; k++) {
                if (p[k] > p[best]) {
                    best = k;
                }
                // classes ranked above the true one: higher score, or equal score and lower id
                if (p[k] > p[truth[i]] || (p[k] == p[truth[i]] && k < truth[i])) {
                    rank++;
                }
            }
            m[truth[i]][best]++;
            withinK[rank]++;
        }
        double[] topK = new double[c];
        long cumulative = 0;
        for (int k = 0; k < c; k++) {
            cumulative += withinK[k];
            topK[k] = truth.length == 0 ? Double.NaN : (double) cumulative / truth.length;
        }
        return new Evaluation(classes, m, topK);
    }

    /**
     * Share of images whose true class is among the {@code k} most probable.
     *
     * @return NaN when this evaluation was built without probabilities and k &gt; 1
     * @throws IllegalArgumentException when k is not in 1..classes
     */
    public double topKAccuracy(int k) {
        if (k < 1 || k > classes.size()) {
            throw new IllegalArgumentException("top-k accuracy needs k in 1.." + classes.size() + ", got " + k);
        }
        if (k == 1) {
            return accuracy();
        }
        return topKAccuracy.length == 0 ? Double.NaN : topKAccuracy[k - 1];
    }

    /** The confusion matrix with each row divided by its total (a row of zeros stays zeros). */
    public double[][] rowNormalised() {
        double[][] r = new double[classes.size()][classes.size()];
        for (int i = 0; i < r.length; i++) {
            long support = 0;
            for (long v : confusion[i]) {
                support += v;
            }
            for (int j = 0; j < r.length; j++) {
                r[i][j] = support == 0 ? 0 : (double) confusion[i][j] / support;
            }
        }
        return r;
    }

    /**
     * The off-diagonal cells with at least one image, largest count first (ties: by true then
     * predicted class id).
     *
     * @param limit at most this many pairs
     */
    public List<ConfusedPair> mostConfused(int limit) {
        List<long[]> cells = new ArrayList<>();
        for (int i = 0; i < confusion.length; i++) {
            for (int j = 0; j < confusion.length; j++) {
                if (i != j && confusion[i][j] > 0) {
                    cells.add(new long[] {confusion[i][j], i, j});
                }
            }
        }
        cells.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0])
                : a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[2], b[2]));
        double[][] rates = rowNormalised();
        List<ConfusedPair> pairs = new ArrayList<>();
        for (long[] cell : cells.subList(0, Math.min(limit, cells.size()))) {
            int i = (int) cell[1];
            int j = (int) cell[2];
            pairs.add(new ConfusedPair(classes.get(i), classes.get(j), cell[0], rates[i][j]));
        }
        return List.copyOf(pairs);
    }

    /** Accuracy of guessing uniformly at random: 1 / classes. */
    public double chance() {
        return 1.0 / classes.size();
    }

    public long total() {
        long n = 0;
        for (long[] row : confusion) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < confusion.length; i++) {
            correct += confusion[i][i];
        }
        return total() == 0 ? Double.NaN : (double) correct / total();
    }

    /** Accuracy of always predicting the most frequent class: the baseline every result is shown with. */
    public double majorityBaseline() {
        long best = 0;
        for (long[] row : confusion) {
            long support = 0;
            for (long v : row) {
                support += v;
            }
            best = Math.max(best, support);
        }
        return total() == 0 ? Double.NaN : (double) best / total();
    }

    /** Mean recall over classes: accuracy that is fair to small classes. */
    public double balancedAccuracy() {
        double sum = 0;
        int counted = 0;
        for (ClassMetrics c : perClass()) {
            if (c.support() > 0) {
                sum += c.recall();
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    public List<ClassMetrics> perClass() {
        List<ClassMetrics> result = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            long tp = confusion[c][c];
            long predicted = 0;
            long support = 0;
            for (int k = 0; k < classes.size(); k++) {
                predicted += confusion[k][c];
                support += confusion[c][k];
            }
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            result.add(new ClassMetrics(classes.get(c), precision, recall, f1, support));
        }
        return result;
    }

    /** A plain-text table: per-class figures, confusion matrix, accuracy and baseline. */
    public String table() {
        StringBuilder s = new StringBuilder();
        int w = Math.max(8, classes.stream().mapToInt(String::length).max().orElse(8));
        s.append(String.format(Locale.ROOT, "%-" + w + "s  precision  recall  f1      support%n", "class"));
        for (ClassMetrics c : perClass()) {
            s.append(String.format(Locale.ROOT, "%-" + w + "s  %.4f     %.4f  %.4f  %d%n",
                    c.name(), c.precision(), c.recall(), c.f1(), c.support()));
        }
        s.append(String.format(Locale.ROOT, "%naccuracy %.4f  (majority-class baseline %.4f, %d images)%n%n",
                accuracy(), majorityBaseline(), total()));
        s.append("confusion matrix (rows: true, columns: predicted)\n");
        s.append(String.format("%-" + w + "s", ""));
        for (String c : classes) {
            s.append(String.format("  %" + Math.max(6, c.length()) + "s", c));
        }
        s.append('\n');
        for (int i = 0; i < classes.size(); i++) {
            s.append(String.format("%-" + w + "s", classes.get(i)));
            for (int j = 0; j < classes.size(); j++) {
                s.append(String.format("  %" + Math.max(6, classes.get(j).length()) + "d", confusion[i][j]));
            }
            s.append('\n');
        }
        return s.toString();
    }
}
