package org.transfer4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The range test on synthetic, linearly separable features: the loss first falls, then explodes as
 * the rate grows; the suggestion lies in the falling part, and training at it learns the task.
 */
class LearningRateFinderTest {

    private static final int WIDTH = 32;

    /**
     * Two Gaussian blobs, centres ±1 along a random unit direction, noise σ = 0.5: separable but for
     * about 2 % of the points, so that huge weights from a huge rate make the loss explode.
     */
    private static LabelledFeatures blobs(int n, long seed) {
        Random r = new Random(seed);
        float[] direction = new float[WIDTH];
        Random d = new Random(1);
        double norm = 0;
        for (int j = 0; j < WIDTH; j++) {
            direction[j] = (float) d.nextGaussian();
            norm += direction[j] * direction[j];
        }
        for (int j = 0; j < WIDTH; j++) {
            direction[j] /= (float) Math.sqrt(norm);
        }
        float[][] rows = new float[n][WIDTH];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            float sign = labels[i] == 0 ? -1 : 1;
            for (int j = 0; j < WIDTH; j++) {
                rows[i][j] = sign * direction[j] + (float) r.nextGaussian() * 0.5f;
            }
        }
        return new LabelledFeatures(rows, labels);
    }

    private static TrainConfig config(String optimizer) {
        return TrainConfig.frozen().withOptimizer(optimizer).withBatchSize(32);
    }

    private static LearningRateFinder.Result find(String optimizer) {
        return new LearningRateFinder(config(optimizer), new LearningRateFinder.Options(1e-6, 10, 100))
                .find(TinyBackbone.withFeatures(WIDTH), blobs(256, 7), 2);
    }

    @Test
    void lossFallsThenExplodesAndTheSuggestionIsOnTheFall() {
        for (String optimizer : new String[] {"adam", "sgd"}) {
            print(optimizer, find(optimizer));
        }
        for (String optimizer : new String[] {"adam", "sgd"}) {
            LearningRateFinder.Result r = find(optimizer);
            double[] s = r.smoothed();
            int lowest = argMin(s);
            assertThat(s[lowest]).as(optimizer + ": the loss falls").isLessThan(0.5 * s[0]);
            if (optimizer.equals("sgd")) {
                // Adam's normalised steps keep this separable toy problem from exploding below a rate of 10
                assertThat(r.diverged()).as(optimizer + ": then explodes").isTrue();
                assertThat(s[s.length - 1]).isGreaterThan(LearningRateFinder.DIVERGENCE * s[lowest]);
            }
            assertThat(r.rule()).isEqualTo(LearningRateFinder.STEEPEST);
            int at = indexOf(r.rates(), r.suggestion());
            assertThat(at).as(optimizer + ": suggested at a step before the lowest loss").isBetween(1, lowest - 1);
            assertThat(s[at + 1]).as("the loss is falling there").isLessThan(s[at - 1]);
            assertThat(r.rates()).isSorted();
        }
    }

    @Test
    void trainingAtTheSuggestionLearnsAndIsStable() {
        LearningRateFinder.Result r = find("adam");
        LabelledFeatures test = blobs(200, 99);
        TrainConfig config = config("adam").withLearningRate((float) r.suggestion()).withEpochs(5);
        org.transfer4j.arch.Graph backbone = TinyBackbone.withFeatures(WIDTH);
        TrainedHead head = TrainedHead.initial(config.head(), WIDTH, 2, config.seed());
        GraphTrainer.Result trained = new GraphTrainer(config, GraphTrainer.Stage.head(config)).fit(
                head.onTopOf(backbone), new org.transfer4j.weights.Weights(head.weights()),
                BlockBoundaries.atFeatures(backbone), GraphTrainer.CutData.of(blobs(256, 7)), GraphTrainer.CutData.of(test),
                null, "", e -> { });
        EpochStats first = trained.history().get(0);
        EpochStats last = trained.history().get(trained.history().size() - 1);
        assertThat(last.trainLoss()).isFinite().isLessThan(first.trainLoss());
        assertThat(last.validationAccuracy()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void ratesGrowExponentiallyFromMinToMax() {
        LearningRateFinder finder = new LearningRateFinder(config("adam"), new LearningRateFinder.Options(1e-4, 1, 11));
        assertThat(finder.rate(0)).isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(finder.rate(5)).isCloseTo(1e-2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(finder.rate(10)).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void steepestIgnoresTheRisingTail() {
        double[] rates = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1};
        double[] loss = {1.0, 0.95, 0.5, 0.45, 0.44, 9.0};
        assertThat(LearningRateFinder.steepest(rates, loss, 0, 4)).isEqualTo(2);
        assertThat(LearningRateFinder.steepest(rates, new double[] {1, 2, 3, 4, 5, 6}, 0, 0)).isEqualTo(-1);
    }

    private static void print(String optimizer, LearningRateFinder.Result r) {
        double[] s = r.smoothed();
        int lowest = argMin(s);
        System.out.printf("%s: %d steps, diverged %s, start %.4f, min %.4f at lr %.2e, end %.4f at lr %.2e,"
                + " suggestion %.2e (%s)%n", optimizer, s.length, r.diverged(), s[0], s[lowest], r.rates()[lowest],
                s[s.length - 1], r.rates()[s.length - 1], r.suggestion(), r.rule());
    }

    private static int argMin(double[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            best = a[i] < a[best] ? i : best;
        }
        return best;
    }

    private static int indexOf(double[] a, double value) {
        int i = Arrays.stream(a).boxed().toList().indexOf(value);
        assertThat(i).as(value + " is one of the rates").isNotNegative();
        return i;
    }
}
