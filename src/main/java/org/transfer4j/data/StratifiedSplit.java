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

    /** Validation images for a class of {@code n}: {@code round(n * fraction)}. */
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
