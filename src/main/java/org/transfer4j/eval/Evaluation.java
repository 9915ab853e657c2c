package org.transfer4j.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well predictions match the truth: accuracy, confusion matrix and per-class precision, recall
 * and F1. An immutable result; rendering is the report's job.
 *
 * @param classes class names, index = class id
 * @param confusion {@code confusion[truth][predicted]} counts
 */
public record Evaluation(List<String> classes, long[][] confusion) {

    /** Per-class figures. */
    public record ClassMetrics(String name, double precision, double recall, double f1, long support) {
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
