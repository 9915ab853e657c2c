package org.transfer4j.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: LogME against its oracle and against a NumPy reference written here. */
class LogMeTest {

    private static final double[][] ORACLE_FEATURES = {{1, 0, 2}, {2, 1, 0}, {0, 2, 1}, {1, 1, 1}, {3, 0, 1},
        {0, 3, 2}, {2, 2, 0}, {1, 3, 3}};
    private static final int[] ORACLE_LABELS = {0, 0, 1, 1, 0, 1, 0, 1};

    /**
     * The reference, in NumPy, from the definition: A = αI + βFᵀF is built as a D×D matrix (through
     * the eigenvalues of the Gram matrix FᵀF, not the SVD of F), m = βA⁻¹Fᵀy, the residual is taken
     * in the image space, and log|A| comes from numpy.linalg.slogdet of the full D×D matrix. So when
     * N &lt; D it includes the (D − k)·log α term that thuml/LogME's _fit_fixed_point leaves out
     * (thuml/LogME issue 23, PR 24; transfer4j issue 14). The fixed-point updates and stopping rule
     * are the paper's, with the same ε, tolerance and cap as LogMe's defaults. For each class it
     * prints the corrected evidence per image and the value without the (D − k)·log α term.
     */
    private static final String NUMPY_REFERENCE = """
            import sys
            import numpy as np
            F = np.loadtxt(sys.argv[1], ndmin=2)
            labels = np.loadtxt(sys.argv[2], dtype=int, ndmin=1)
            N, D = F.shape
            k = min(N, D)
            lam, V = np.linalg.eigh(F.T @ F)
            lam = np.clip(lam, 0.0, None)
            eps, tol, cap = 1e-5, 1e-8, 10000
            for c in sorted(set(labels.tolist())):
                y = (labels == c).astype(np.float64)
                Vty = V.T @ (F.T @ y)
                def posterior(a, b):
                    m = V @ (b * Vty / (a + b * lam))
                    return m, float(m @ m), float(np.sum((y - F @ m) ** 2))
                a, b = 1.0, 1.0
                for _ in range(cap):
                    t = a / b
                    gamma = float(np.sum(b * lam / (a + b * lam)))
                    m, m2, res2 = posterior(a, b)
                    a, b = gamma / (m2 + eps), (N - gamma) / (res2 + eps)
                    if abs(a / b - t) / t <= tol:
                        break
                m, m2, res2 = posterior(a, b)
                sign, logdet = np.linalg.slogdet(a * np.eye(D) + b * (F.T @ F))
                ev = (D / 2 * np.log(a) + N / 2 * np.log(b) - N / 2 * np.log(2 * np.pi)
                      - b / 2 * res2 - a / 2 * m2 - logdet / 2) / N
                print(repr(ev), repr(ev + (D - k) / 2 * np.log(a) / N))
            """;

    @TempDir
    Path tmp;

    @Test
    void oracleFromTheIssue() {
        LogMe.Result r = new LogMe().fit(ORACLE_FEATURES, ORACLE_LABELS);
        assertThat(r.score()).isCloseTo(-0.782996, within(1e-6));
        assertThat(r.perClass()).hasSize(2);
        assertThat(r.perClass().get(0).evidence()).isCloseTo(-0.823956, within(1e-6));
        assertThat(r.perClass().get(1).evidence()).isCloseTo(-0.742036, within(1e-6));
        assertThat(r.perClass()).allSatisfy(c -> assertThat(c.converged()).isTrue());
        assertThat(r.images()).isEqualTo(8);
        assertThat(r.featureWidth()).isEqualTo(3);
        System.out.printf(Locale.ROOT, "LogME oracle: %.9f (per class %.9f, %.9f)%n", r.score(),
                r.perClass().get(0).evidence(), r.perClass().get(1).evidence());
    }

    @Test
    void float32InputGivesTheSameScore() {
        float[][] f = new float[ORACLE_FEATURES.length][3];
        for (int i = 0; i < f.length; i++) {
            for (int j = 0; j < 3; j++) {
                f[i][j] = (float) ORACLE_FEATURES[i][j];
            }
        }
        assertThat(new LogMe().fit(f, ORACLE_LABELS).score())
                .isEqualTo(new LogMe().fit(ORACLE_FEATURES, ORACLE_LABELS).score());
    }

    @Test
    void matchesNumpyWithMoreImagesThanFeatures() throws Exception {
        compareWithNumpy(60, 12, 3, 1);
        compareWithNumpy(200, 40, 4, 2);
    }

    @Test
    void matchesNumpyWithFewerImagesThanFeaturesIncludingTheCorrectedTerm() throws Exception {
        // the few-shot case: here the reference implementation's missing (D - k) log α term matters
        List<double[]> first = compareWithNumpy(20, 50, 2, 3);
        List<double[]> second = compareWithNumpy(30, 160, 3, 4);
        for (List<double[]> rows : List.of(first, second)) {
            for (double[] row : rows) {
                assertThat(Math.abs(row[1] - row[0])).as("the (D - k) log α term changes the score").isGreaterThan(1e-3);
            }
        }
    }

    /** Compares every class's evidence with NumPy's; returns NumPy's (corrected, uncorrected) rows. */
    private List<double[]> compareWithNumpy(int n, int d, int classes, long seed) throws IOException,
            InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no " + python);
        Random random = new Random(seed);
        double[][] f = new double[n][d];
        int[] labels = new int[n];
        StringBuilder features = new StringBuilder();
        StringBuilder labelText = new StringBuilder();
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes; // every class has images
            for (int j = 0; j < d; j++) {
                // ReLU-like features with a class signal in the first columns
                double v = random.nextGaussian() + (j < classes && j == labels[i] ? 1.5 : 0);
                f[i][j] = Math.max(0, v);
                features.append(f[i][j]).append(j + 1 < d ? " " : "\n");
            }
            labelText.append(labels[i]).append('\n');
        }
        Path featureFile = tmp.resolve("f-" + seed + ".txt");
        Path labelFile = tmp.resolve("y-" + seed + ".txt");
        Path script = tmp.resolve("logme_reference.py");
        Files.writeString(featureFile, features);
        Files.writeString(labelFile, labelText);
        Files.writeString(script, NUMPY_REFERENCE);
        Process p = new ProcessBuilder(python.toString(), script.toString(), featureFile.toString(), labelFile.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assumeTrue(!out.contains("No module named 'numpy'"), "python3-numpy is not installed");
        assertThat(p.exitValue()).as(out).isZero();
        List<double[]> reference = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            reference.add(new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])});
        }
        LogMe.Result r = new LogMe().fit(f, labels);
        assertThat(reference).hasSize(classes);
        double mean = 0;
        for (int c = 0; c < classes; c++) {
            assertThat(r.perClass().get(c).evidence()).as("class %d, N=%d D=%d", c, n, d)
                    .isCloseTo(reference.get(c)[0], within(1e-6));
            mean += reference.get(c)[0] / classes;
        }
        assertThat(r.score()).isCloseTo(mean, within(1e-6));
        System.out.printf(Locale.ROOT, "LogME N=%d D=%d: %.9f (NumPy %.9f)%n", n, d, r.score(), mean);
        return reference;
    }

    @Test
    void badInputNamesTheValue() {
        LogMe logMe = new LogMe();
        assertThatThrownBy(() -> logMe.fit(ORACLE_FEATURES, new int[] {0, 1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 feature rows but 3 labels");
        double[][] nan = {{1, 2}, {Double.NaN, 1}, {0, 1}, {2, 2}};
        assertThatThrownBy(() -> logMe.fit(nan, new int[] {0, 0, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1, column 0 is NaN");
        assertThatThrownBy(() -> logMe.fit(ORACLE_FEATURES, new int[8]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all 8 images have label 0");
        assertThatThrownBy(() -> logMe.fit(ORACLE_FEATURES, new int[] {0, 0, 0, 0, 0, 0, 0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class 1 has 1 image");
        assertThatThrownBy(() -> new LogMe(0, 1e-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }
}
