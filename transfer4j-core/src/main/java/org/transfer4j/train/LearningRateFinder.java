package org.transfer4j.train;

import java.util.ArrayList;
import java.util.List;
import org.transfer4j.arch.Graph;
import org.transfer4j.weights.Weights;

/**
 * The learning-rate range test (Smith 2015, "Cyclical Learning Rates"; fastai's {@code lr_find}): a
 * fresh head trains on cached features for a fixed number of mini-batch steps while the learning
 * rate grows exponentially from {@code minLr} to {@code maxLr}; the training loss of each step is
 * recorded and smoothed (exponential moving average, β = 0.98, bias-corrected). The test stops early
 * once the smoothed loss exceeds {@value #DIVERGENCE} times the lowest seen, or a loss is not finite
 * (that step is not recorded).
 *
 * <p>The suggestion is the rate where the smoothed loss falls fastest: the steepest descent of the
 * loss against log(rate), searched after the first tenth of the steps (where the moving average is
 * still noisy; fastai skips them too) and before the loss's minimum (the rising tail is never
 * suggested). When the loss never falls (its minimum is the first step), the rule falls back to a
 * tenth of the rate at the minimum. The suggestion is clamped to [{@code minLr}, {@code maxLr}].
 */
public final class LearningRateFinder {

    /** The test stops when the smoothed loss exceeds this multiple of the best. */
    public static final double DIVERGENCE = 4;

    private static final double BETA = 0.98;

    /**
     * The range to sweep.
     *
     * @param minLr first learning rate
     * @param maxLr last learning rate (reached only when the loss has not diverged before)
     * @param steps mini-batch steps, at least 10
     */
    public record Options(double minLr, double maxLr, int steps) {

        public Options {
            if (!(minLr > 0)) {
                throw new IllegalArgumentException("--min-lr must be positive, got " + minLr);
            }
            if (!(maxLr > minLr)) {
                throw new IllegalArgumentException("--max-lr must be above --min-lr " + minLr + ", got " + maxLr);
            }
            if (steps < 10) {
                throw new IllegalArgumentException("--steps must be at least 10, got " + steps);
            }
        }

        /** 1e-7 to 10 in 100 steps. */
        public static Options defaults() {
            return new Options(1e-7, 10, 100);
        }
    }

    /**
     * What the range test recorded.
     *
     * @param rates learning rate of each step run
     * @param losses training loss of each step
     * @param smoothed smoothed loss of each step
     * @param suggestion the suggested learning rate
     * @param rule how the suggestion was chosen, in words
     * @param diverged whether the test stopped early because the loss exploded
     */
    public record Result(double[] rates, double[] losses, double[] smoothed, double suggestion, String rule,
                         boolean diverged) {
    }

    /** Rule text when the suggestion is the steepest descent. */
    public static final String STEEPEST = "steepest descent of the loss";
    /** Rule text of the fallback. */
    public static final String MIN_OVER_TEN = "a tenth of the rate at the lowest loss";

    private final TrainConfig config;
    private final Options options;

    /**
     * @param config head, optimiser, batch size, weight decay, loss options and seed; its learning rate,
     *     epochs and schedule are ignored
     */
    public LearningRateFinder(TrainConfig config, Options options) {
        this.config = config;
        this.options = options;
    }

    /**
     * Runs the range test on training features: the training loop of {@link GraphTrainer} with the
     * head on the backbone's features, its rate set per step, stopped by this test's rules.
     *
     * @param backbone the backbone graph whose features these are (only its head part runs)
     */
    public Result find(Graph backbone, LabelledFeatures train, int numClasses) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training features: the range test needs at least one image");
        }
        TrainedHead head = TrainedHead.initial(config.head(), train.width(), numClasses, config.seed());
        Graph classifier = head.onTopOf(backbone);
        int stepsPerEpoch = (train.size() + config.batchSize() - 1) / config.batchSize();
        int epochs = (options.steps() + stepsPerEpoch - 1) / stepsPerEpoch;
        List<double[]> points = new ArrayList<>();
        boolean[] diverged = {false};
        double[] average = {0};
        double[] best = {Double.POSITIVE_INFINITY};
        GraphTrainer trainer = new GraphTrainer(config.withEpochs(epochs), GraphTrainer.Stage.head(config.withEpochs(epochs)))
                .rateOfStep(this::rate)
                .observe((step, rate, loss) -> {
                    if (!Double.isFinite(loss)) {
                        diverged[0] = true; // not recorded: the curve stays finite
                        return false;
                    }
                    average[0] = BETA * average[0] + (1 - BETA) * loss;
                    double smooth = average[0] / (1 - Math.pow(BETA, step + 1));
                    points.add(new double[] {rate, loss, smooth});
                    if (smooth > DIVERGENCE * best[0]) {
                        diverged[0] = true;
                        return false;
                    }
                    best[0] = Math.min(best[0], smooth);
                    return step + 1 < options.steps();
                });
        GraphTrainer.CutData none = new GraphTrainer.CutData(new float[0][], new int[0]);
        trainer.fit(classifier, new Weights(head.weights()), BlockBoundaries.atFeatures(backbone),
                GraphTrainer.CutData.of(train), none, null, "", e -> { });
        return result(points, diverged[0]);
    }

    /** Rate of a step: minLr·(maxLr/minLr)^(step/(steps−1)). */
    double rate(long step) {
        return options.minLr() * Math.pow(options.maxLr() / options.minLr(), step / (options.steps() - 1.0));
    }

    private Result result(List<double[]> points, boolean diverged) {
        int n = points.size();
        double[] rates = new double[n];
        double[] losses = new double[n];
        double[] smoothed = new double[n];
        for (int i = 0; i < n; i++) {
            rates[i] = points.get(i)[0];
            losses[i] = points.get(i)[1];
            smoothed[i] = points.get(i)[2];
        }
        int lowest = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(smoothed[i]) && smoothed[i] < smoothed[lowest]) {
                lowest = i;
            }
        }
        int steepest = steepest(rates, smoothed, options.steps() / 10, lowest);
        double suggestion = steepest >= 0 ? rates[steepest] : rates[lowest] / 10;
        suggestion = Math.max(options.minLr(), Math.min(options.maxLr(), suggestion));
        return new Result(rates, losses, smoothed, suggestion, steepest >= 0 ? STEEPEST : MIN_OVER_TEN, diverged);
    }

    /**
     * Index of the most negative slope of the smoothed loss against log(rate) among the points
     * from {@code skip} to before {@code lowest} (central differences, as numpy's gradient); -1 when
     * the loss does not fall there.
     */
    static int steepest(double[] rates, double[] smoothed, int skip, int lowest) {
        int best = -1;
        double bestSlope = 0;
        for (int i = Math.max(1, skip); i < lowest; i++) {
            double slope = (smoothed[i + 1] - smoothed[i - 1]) / (Math.log(rates[i + 1]) - Math.log(rates[i - 1]));
            if (slope < bestSlope) {
                bestSlope = slope;
                best = i;
            }
        }
        return best;
    }
}
