package org.transfer4j.select;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * LogME (You, Liu, Wang and Long, "LogME: Practical Assessment of Pre-trained Models for Transfer
 * Learning", ICML 2021): how well a backbone's features explain the labels, as the log marginal
 * evidence of a Bayesian linear model, per image, averaged over the classes (one-vs-rest targets).
 * Higher is better; values are comparable between backbones on the same images.
 *
 * <p>For each class c, with y the 0/1 indicator of c and F the N×D feature matrix, the model is
 * {@code y ~ N(F w, 1/β)}, {@code w ~ N(0, 1/α)}. Its evidence is
 * <pre>
 *   L(α, β) = D/2 log α + N/2 log β − N/2 log 2π − β/2 |y − F m|² − α/2 |m|² − 1/2 log |A|,
 *   A = α I_D + β FᵀF,   m = β A⁻¹ Fᵀ y,
 * </pre>
 * maximised over α and β by the fixed-point iteration of the paper: with t = α/β, γ = Σ s_i/(s_i + t),
 * α ← γ / |m|², β ← (N − γ) / |y − F m|², until t changes by less than the tolerance (relative).
 * Everything is computed in float64 from the thin SVD F = U S Vᵀ (k = min(N, D) singular values,
 * s_i their squares): |m|² and |y − F m|² from the projections Uᵀy, and
 * {@code log |A| = Σ_{i<k} log(α + β s_i) + (D − k) log α}, exactly. The reference code
 * (thuml/LogME, {@code _fit_fixed_point}) leaves out the (D − k) log α term, which only matters when
 * there are fewer images than features (thuml/LogME issue 23, fix proposed in PR 24); it also stops
 * after 11 iterations, which on few-shot features can be far from the maximum. As in the reference,
 * ε = 1e-5 is added to both denominators, so α and β stay finite when the maximum lies at infinity.
 *
 * <pre>{@code
 * LogMe.Result r = new LogMe().fit(features, labels);
 * double score = r.score();
 * }</pre>
 */
public final class LogMe {

    /** Default cap on fixed-point iterations per class. */
    public static final int DEFAULT_MAX_ITERATIONS = 10_000;
    /** Default convergence test: relative change of t = α/β between two iterations. */
    public static final double DEFAULT_TOLERANCE = 1e-8;
    /** Added to both denominators of the updates, as in the reference implementation. */
    public static final double EPSILON = 1e-5;

    private final int maxIterations;
    private final double tolerance;

    /**
     * The evidence of one class.
     *
     * @param label the class label
     * @param evidence log evidence divided by the number of images
     * @param alpha prior precision α at the maximum
     * @param beta noise precision β at the maximum
     * @param iterations fixed-point iterations used
     * @param converged whether t = α/β settled within the tolerance before the cap
     */
    public record ClassEvidence(int label, double evidence, double alpha, double beta, int iterations,
                                boolean converged) {
    }

    /**
     * A fitted LogME.
     *
     * @param score mean over the classes of the per-image log evidence (the LogME value)
     * @param images number of images (rows)
     * @param featureWidth number of features per image (D)
     * @param perClass each class's evidence, by ascending label
     */
    public record Result(double score, int images, int featureWidth, List<ClassEvidence> perClass) {

        public Result {
            perClass = List.copyOf(perClass);
        }
    }

    /** LogME with the default iteration cap and tolerance. */
    public LogMe() {
        this(DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE);
    }

    /**
     * @param maxIterations most fixed-point iterations per class (at least 1)
     * @param tolerance stop when |t' − t| / t is at most this (positive)
     */
    public LogMe(int maxIterations, double tolerance) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("tolerance must be positive, got " + tolerance);
        }
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    /**
     * Scores float32 features (converted to float64 first).
     *
     * @throws IllegalArgumentException on a label count that differs from the rows, non-finite
     *     features, a single class or a class with fewer than two images
     */
    public Result fit(float[][] features, int[] labels) {
        return fit(LabelledMatrix.of(features, labels));
    }

    /**
     * Scores float64 features.
     *
     * @throws IllegalArgumentException as {@link #fit(float[][], int[])}
     */
    public Result fit(double[][] features, int[] labels) {
        return fit(LabelledMatrix.of(features, labels));
    }

    private Result fit(LabelledMatrix data) {
        int n = data.size();
        int d = data.width();
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, d, true, false, true);
        if (!svd.decompose(new DMatrixRMaj(data.rows()))) {
            throw new IllegalStateException("the SVD of the " + n + " x " + d + " feature matrix did not converge");
        }
        int k = svd.numberOfSingularValues();
        double[] singular = svd.getSingularValues();
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = singular[i] * singular[i];
        }
        DMatrixRMaj u = svd.getU(null, false);
        List<ClassEvidence> perClass = new ArrayList<>();
        double sum = 0;
        for (int label : data.classes()) {
            // y is the 0/1 indicator of the class: Uᵀy sums the rows of U of the class's images
            double[] x = new double[k];
            int count = 0;
            for (int row = 0; row < n; row++) {
                if (data.labels()[row] == label) {
                    count++;
                    for (int i = 0; i < k; i++) {
                        x[i] += u.unsafe_get(row, i);
                    }
                }
            }
            ClassEvidence e = evidence(label, s, x, count, n, d);
            perClass.add(e);
            sum += e.evidence();
        }
        return new Result(sum / perClass.size(), n, d, perClass);
    }

    /**
     * Maximises the evidence of one target.
     *
     * @param s squared singular values of F
     * @param x projections Uᵀy of the target on the left singular vectors
     * @param yy |y|² (for a 0/1 target, the number of ones)
     */
    private ClassEvidence evidence(int label, double[] s, double[] x, double yy, int n, int d) {
        int k = s.length;
        double[] x2 = new double[k];
        double projected = 0;
        for (int i = 0; i < k; i++) {
            x2[i] = x[i] * x[i];
            projected += x2[i];
        }
        // the part of y outside the span of U is residual whatever w is
        double outside = Math.max(0, yy - projected);
        double alpha = 1;
        double beta = 1;
        int iterations = 0;
        boolean converged = false;
        while (iterations < maxIterations && !converged) {
            double t = alpha / beta;
            Fit f = Fit.at(t, s, x2, outside);
            alpha = f.gamma / (f.m2 + EPSILON);
            beta = (n - f.gamma) / (f.res2 + EPSILON);
            iterations++;
            converged = Math.abs(alpha / beta - t) / t <= tolerance;
        }
        Fit f = Fit.at(alpha / beta, s, x2, outside);
        double logDetA = (d - k) * Math.log(alpha);
        for (int i = 0; i < k; i++) {
            logDetA += Math.log(alpha + beta * s[i]);
        }
        double logEvidence = d / 2.0 * Math.log(alpha) + n / 2.0 * Math.log(beta) - n / 2.0 * Math.log(2 * Math.PI)
                - beta / 2 * f.res2 - alpha / 2 * f.m2 - logDetA / 2;
        return new ClassEvidence(label, logEvidence / n, alpha, beta, iterations, converged);
    }

    /** γ, |m|² and |y − F m|² of the posterior mean at t = α/β. */
    private record Fit(double gamma, double m2, double res2) {

        static Fit at(double t, double[] s, double[] x2, double outside) {
            double gamma = 0;
            double m2 = 0;
            double res2 = outside;
            for (int i = 0; i < s.length; i++) {
                double denominator = s[i] + t;
                gamma += s[i] / denominator;
                m2 += s[i] * x2[i] / (denominator * denominator);
                res2 += x2[i] * (t / denominator) * (t / denominator);
            }
            return new Fit(gamma, m2, res2);
        }
    }
}
