package org.transfer4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Splits each class's files into training and validation by a fraction, at random but
 * reproducibly: class {@code c} is shuffled with {@code new Random(seed + c)}, so the same seed and
 * files give the same split on any JVM.
 */
final class StratifiedSplit {

    /** Training and validation samples. */
    record Result(List<Sample> train, List<Sample> test) {
    }

    private StratifiedSplit() {
    }

    /**
     * Carves the validation split out of the training samples: {@code max(1, round(n * fraction))} of
     * each class, at random with a generator of its own (seeded apart from the test split's).
     *
     * @return the remaining training samples, and the validation samples as {@code test()}
     * @throws DatasetException when a class has fewer than two training images
     */
    static Result carve(List<Sample> train, List<String> classNames, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("--val-split must be 0 (none) or between 0 and 1, got " + fraction);
        }
        List<Sample> kept = new ArrayList<>();
        List<Sample> validation = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            List<Sample> ofClass = new ArrayList<>();
            for (Sample s : train) {
                if (s.classIndex() == c) {
                    ofClass.add(s);
                }
            }
            int n = ofClass.size();
            int nVal = Math.max(1, testCount(n, fraction));
            if (nVal > n - 1) {
                throw new DatasetException(String.format("Class '%s' has %d training image%s; a validation split "
                        + "needs at least 2 per class (one to validate, the rest to train). Add images, or pass "
                        + "--val-split 0 (then nothing can be chosen on validation data).", classNames.get(c), n,
                        n == 1 ? "" : "s"));
            }
            List<Integer> order = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(seed * 1_000_003L + 7_919L + c));
            boolean[] held = new boolean[n];
            for (int i = 0; i < nVal; i++) {
                held[order.get(i)] = true;
            }
            for (int i = 0; i < n; i++) {
                (held[i] ? validation : kept).add(ofClass.get(i));
            }
        }
        return new Result(kept, validation);
    }

    /** Held-out images for a class of {@code n}: {@code round(n * fraction)}. */
    static int testCount(int n, double fraction) {
        return (int) Math.round(n * fraction);
    }

    /** The smallest class size that leaves at least one image on each side. */
    static int minimumPerClass(double fraction) {
        int n = 2;
        while (testCount(n, fraction) < 1 || testCount(n, fraction) > n - 1) {
            n++;
        }
        return n;
    }

    /**
     * Splits sorted per-class file lists.
     *
     * @param classFolders the class folder of each class, for error messages
     */
    static Result split(List<List<Path>> filesPerClass, List<Path> classFolders, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be between 0 and 1 (exclusive), got "
                    + fraction + "; 0.2 holds out a fifth of each class");
        }
        List<Sample> train = new ArrayList<>();
        List<Sample> test = new ArrayList<>();
        for (int c = 0; c < filesPerClass.size(); c++) {
            List<Path> files = filesPerClass.get(c);
            int n = files.size();
            int nTest = testCount(n, fraction);
            if (nTest < 1 || nTest > n - 1) {
                int min = minimumPerClass(fraction);
                throw new DatasetException(String.format("Class folder '%s' has %d image%s; a validation split of %s "
                        + "needs at least %d per class (some for validation, the rest for training). Add images, "
                        + "or give separate train/ and val/ folders.", classFolders.get(c), n, n == 1 ? "" : "s",
                        fraction, min));
            }
            List<Integer> order = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(seed + c));
            boolean[] held = new boolean[n];
            for (int i = 0; i < nTest; i++) {
                held[order.get(i)] = true;
            }
            for (int i = 0; i < n; i++) {
                (held[i] ? test : train).add(new Sample(files.get(i), c));
            }
        }
        return new Result(train, test);
    }
}
