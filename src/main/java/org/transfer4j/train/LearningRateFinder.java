package org.transfer4j.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.transfer4j.exec.DjlEngine;

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

    /** Runs the range test on training features. */
    public Result find(LabelledFeatures train, int numClasses) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training features: the range test needs at least one image");
        }
        DjlEngine.get().setRandomSeed((int) config.seed());
        Loss loss = config.loss(train.labels(), numClasses);
        float[] current = {(float) options.minLr()};
        List<double[]> points = new ArrayList<>();
        boolean diverged = false;
        try (Model model = Model.newInstance("lr-find", DjlEngine.NAME)) {
            model.setBlock(HeadTrainer.headBlock(config.head(), numClasses));
            DefaultTrainingConfig training = new DefaultTrainingConfig(loss)
                    .optOptimizer(HeadTrainer.optimizer(config, n -> current[0]));
            try (Trainer trainer = model.newTrainer(training)) {
                trainer.initialize(new Shape(config.batchSize(), train.width()));
                Random shuffle = new Random(config.seed());
                int[] order = new int[train.size()];
                int from = order.length;
                double average = 0;
                double best = Double.POSITIVE_INFINITY;
                for (int step = 0; step < options.steps(); step++) {
                    if (from >= order.length) {
                        shuffle(order, shuffle);
                        from = 0;
                    }
                    int to = Math.min(order.length, from + config.batchSize());
                    current[0] = (float) rate(step);
                    double l = step(trainer, loss, train, order, from, to);
                    from = to;
                    if (!Double.isFinite(l)) {
                        diverged = true; // not recorded: the curve stays finite
                        break;
                    }
                    average = BETA * average + (1 - BETA) * l;
                    double smooth = average / (1 - Math.pow(BETA, step + 1));
                    points.add(new double[] {current[0], l, smooth});
                    if (smooth > DIVERGENCE * best) {
                        diverged = true;
                        break;
                    }
                    best = Math.min(best, smooth);
                }
            }
        }
        return result(points, diverged);
    }

    /** Rate of a step: minLr·(maxLr/minLr)^(step/(steps−1)). */
    double rate(int step) {
        return options.minLr() * Math.pow(options.maxLr() / options.minLr(), step / (options.steps() - 1.0));
    }

    private static double step(Trainer trainer, Loss loss, LabelledFeatures train, int[] order, int from, int to) {
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray x = batch.create(train.rows(order, from, to), new Shape(to - from, train.width()));
            NDArray y = batch.create(train.labels(order, from, to));
            double value;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray l = loss.evaluate(new NDList(y), new NDList(pred));
                value = l.getFloat();
                gc.backward(l);
            }
            trainer.step();
            return value;
        }
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

    private static void shuffle(int[] order, Random random) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
