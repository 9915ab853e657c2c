package org.transfer4j.train;

import java.util.Locale;

/**
 * A learning-rate schedule: a factor in (0, 1] of the base rate for each optimiser step. Warm-up
 * rises linearly from 0 over its share of the steps; then {@code constant} keeps 1, {@code cosine}
 * anneals to 0, {@code step} divides by 10 at 50 % and 75 % of the steps, and {@code onecycle}
 * (Smith's one-cycle, as torch's OneCycleLR with cosine annealing) rises from 1/25 to 1 over the first
 * 30 % (or the warm-up share, when given) and anneals to 1/10⁴ of the peak.
 *
 * @param kind constant, cosine, step or onecycle
 * @param warmup share of the steps spent warming up, in [0, 1)
 */
public record Schedule(String kind, double warmup) {

    /** The kinds accepted by {@code --schedule}. */
    public static final String KINDS = "constant, cosine, step, onecycle";

    public Schedule {
        kind = kind.toLowerCase(Locale.ROOT);
        if (!java.util.List.of("constant", "cosine", "step", "onecycle").contains(kind)) {
            throw new IllegalArgumentException("--schedule must be one of " + KINDS + ", got '" + kind + "'");
        }
        if (!(warmup >= 0 && warmup < 1)) {
            throw new IllegalArgumentException("--warmup must be a share in [0, 1), got " + warmup);
        }
    }

    /** A constant rate without warm-up. */
    public static Schedule constant() {
        return new Schedule("constant", 0);
    }

    /**
     * The factor at a step.
     *
     * @param step 0-based optimiser step
     * @param total steps in the whole run
     */
    public double factor(long step, long total) {
        if (step < 0 || total < 1) {
            throw new IllegalArgumentException("step " + step + " of " + total);
        }
        double t = Math.min(1.0, (double) step / total);
        if (kind.equals("onecycle")) {
            double rise = warmup > 0 ? warmup : 0.3;
            if (t < rise) {
                return cosine(1.0 / 25, 1.0, t / rise);
            }
            return cosine(1.0, 1e-4, (t - rise) / (1 - rise));
        }
        if (t < warmup) {
            return (step + 1.0) / Math.max(1.0, warmup * total);
        }
        double after = warmup >= 1 ? 1 : (t - warmup) / (1 - warmup);
        return switch (kind) {
            case "cosine" -> cosine(1.0, 0.0, after);
            case "step" -> after < 0.5 ? 1.0 : after < 0.75 ? 0.1 : 0.01;
            default -> 1.0;
        };
    }

    /** Cosine interpolation from a (at 0) to b (at 1). */
    private static double cosine(double a, double b, double progress) {
        return b + (a - b) * (1 + Math.cos(Math.PI * progress)) / 2;
    }
}
