package org.transfer4j.semi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.parity.PythonScript;
import org.transfer4j.unlabeled.VectorMath;

/** Issue 16: label spreading against scikit-learn's LabelSpreading(kernel='knn') (Debian's python3-sklearn). */
class LabelSpreadingTest {

    @TempDir
    Path tmp;

    /** Three Gaussian clusters in 8 dimensions, 20 rows each, the first two of each cluster labelled. */
    static Blobs blobs(long seed, int perClass, int labelledPerClass) {
        Random r = new Random(seed);
        int classes = 3;
        int dims = 8;
        float[][] centres = new float[classes][dims];
        for (float[] c : centres) {
            for (int j = 0; j < dims; j++) {
                c[j] = (float) (r.nextGaussian() * 2);
            }
        }
        float[][] x = new float[classes * perClass][dims];
        int[] truth = new int[x.length];
        int[] labels = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = i % classes;
            truth[i] = c;
            labels[i] = i / classes < labelledPerClass ? c : -1;
            for (int j = 0; j < dims; j++) {
                x[i][j] = centres[c][j] + (float) r.nextGaussian();
            }
        }
        return new Blobs(x, truth, labels, classes);
    }

    record Blobs(float[][] x, int[] truth, int[] labels, int classes) {
    }

    @Test
    void matchesScikitLearnsAlgorithm() throws IOException {
        Blobs b = blobs(7, 20, 2);
        List<String> rows = new ArrayList<>();
        for (float[] row : b.x()) {
            float[] unit = VectorMath.normalised(row);
            StringBuilder line = new StringBuilder();
            for (float v : unit) {
                line.append(line.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.9g", v));
            }
            rows.add(line.toString());
        }
        Files.write(tmp.resolve("features.txt"), rows);
        Files.write(tmp.resolve("labels.txt"), Arrays.stream(b.labels()).mapToObj(String::valueOf).toList());
        for (int k : new int[] {7, 3}) {
            for (double alpha : new double[] {0.2, 0.8}) {
                PythonScript.run("label_spreading_reference.py", List.of(tmp.toString(), String.valueOf(k),
                        String.valueOf(alpha)), 120);
                List<String> expected = Files.readAllLines(tmp.resolve("distributions.txt"));
                LabelSpreading.Spread spread = LabelSpreading.of(k, alpha).fit(b.x(), b.labels(), b.classes());
                assertThat(expected).hasSize(b.x().length);
                for (int i = 0; i < expected.size(); i++) {
                    double[] want = Arrays.stream(expected.get(i).trim().split("\\s+")).mapToDouble(Double::parseDouble)
                            .toArray();
                    for (int c = 0; c < want.length; c++) {
                        assertThat(spread.distributions()[i][c]).as("k %d alpha %s row %d class %d", k, alpha, i, c)
                                .isCloseTo(want[c], within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void spreadsTheLabelsOfSeparatedClusters() {
        Blobs b = blobs(3, 30, 2);
        LabelSpreading.Spread spread = LabelSpreading.reference().fit(b.x(), b.labels(), b.classes());
        int correct = 0;
        for (int i = 0; i < b.x().length; i++) {
            correct += spread.label(i) == b.truth()[i] ? 1 : 0;
            assertThat(Arrays.stream(spread.distributions()[i]).sum()).isCloseTo(1, within(1e-9));
        }
        assertThat(correct).isGreaterThanOrEqualTo(b.x().length * 9 / 10);
        assertThat(spread.iterations()).isBetween(1, 30);
    }

    @Test
    void rowsNoLabelReachesGetNothing() {
        float[][] x = {{1, 0}, {0.99f, 0.01f}, {0, 1}, {0.01f, 0.99f}};
        LabelSpreading.Spread spread = LabelSpreading.of(2, 0.5).fit(x, new int[] {0, -1, -1, -1}, 2);
        assertThat(spread.label(1)).isZero();
        assertThat(spread.confidence(1)).isCloseTo(1, within(1e-9));
        assertThat(spread.confidence(2)).isZero();
        assertThat(spread.confidence(3)).isZero();
    }

    @Test
    void refusesBadSettings() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LabelSpreading.of(0, 0.2))
                .hasMessageContaining("k >= 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LabelSpreading.of(7, 1.0))
                .hasMessageContaining("alpha in (0, 1)");
    }
}
