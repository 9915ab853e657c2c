package org.transfer4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongToDoubleFunction;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;
import org.transfer4j.exec.DjlEngine;
import org.transfer4j.exec.DjlExecutor;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * The one training loop of transfer4j. It trains the part of a classifier graph above a
 * {@link BlockBoundaries.Cut cut} on activations cached at that cut, on DJL (libtorch):
 *
 * <ul>
 *   <li>head-only training is the cut at the features ({@link BlockBoundaries#atFeatures}): the feature
 *       cache is the cut-activation cache at the last layer, and only {@code head.*} trains;
 *   <li>fine-tuning cuts below the top blocks, which train with the head, the backbone at
 *       {@code backboneLrMult} times the head's rate;
 *   <li>{@code lr-find} runs the same loop with its own rate per step and stops it from a
 *       {@link StepObserver}.
 * </ul>
 *
 * <p>One optimiser ({@link OptimizerState}), one {@link Schedule}, one shuffle (epoch e's order depends on
 * (seed, e) only: {@link #shuffled}), one evaluation loop ({@link #evaluate}). After every epoch the
 * <b>validation</b> split is scored; when the stage selects, the epoch with the lowest validation loss is
 * kept and early stopping watches it. The test split never enters: it is scored once, afterwards, by
 * the evaluator. With a {@link Checkpoint}, the state is saved after every epoch and a resumed run
 * continues bit for bit.
 */
public final class GraphTrainer {

    private static final String HEAD_PREFIX = "head.";
    private static final int EVAL_BATCH = 256;

    /**
     * What one stage of training runs.
     *
     * @param epochs passes over the training activations
     * @param learningRate peak rate of the head
     * @param backboneLrMult the backbone's rate relative to the head's
     * @param freezeBn keep batch-norm layers in inference mode with fixed parameters
     * @param patience stop after this many epochs without a lower validation loss; 0 never stops early
     * @param selectBest keep the epoch with the lowest validation loss (the state before the first epoch
     *     counts as epoch 0); else the last epoch is kept
     */
    public record Stage(int epochs, float learningRate, float backboneLrMult, boolean freezeBn, int patience,
                        boolean selectBest) {

        public Stage {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            if (patience > 0 && !selectBest) {
                throw new IllegalArgumentException("early stopping (patience " + patience + ") needs a validation split");
            }
        }

        /** Head-only training on cached features: the head's epochs and rate, the last epoch kept. */
        public static Stage head(TrainConfig config) {
            return new Stage(config.epochs(), config.learningRate(), 1f, false, 0, false);
        }

        /**
         * The fine-tuning stage.
         *
         * @param validation whether there is a validation split to select the best epoch on
         */
        public static Stage fineTune(FineTuneConfig tuning, boolean validation) {
            return new Stage(tuning.epochs(), tuning.learningRate(), tuning.backboneLrMult(), tuning.freezeBn(),
                    validation ? tuning.patience() : 0, validation);
        }
    }

    /**
     * What training produced.
     *
     * @param weights every parameter of the classifier graph, in the kept state
     * @param history one entry per epoch run
     * @param bestEpoch the epoch whose state was kept (0: the state before this stage)
     * @param lastEpoch the last epoch run (below the planned epochs when stopped early)
     */
    public record Result(Weights weights, List<EpochStats> history, int bestEpoch, int lastEpoch) {
    }

    /**
     * Activations at the cut with labels, and optionally a weight per row (semi-supervised training
     * weights spread or pseudo labels by their confidence).
     *
     * @param rows one row per image, {@code cut.width()} floats
     * @param labels class per image
     * @param weights the loss weight of each row, or null for all 1
     */
    public record CutData(float[][] rows, int[] labels, float[] weights) {

        public CutData {
            if (rows.length != labels.length) {
                throw new IllegalArgumentException(rows.length + " rows but " + labels.length + " labels");
            }
            if (weights != null && weights.length != labels.length) {
                throw new IllegalArgumentException(weights.length + " weights but " + labels.length + " labels");
            }
        }

        /** Rows with labels, all of weight 1. */
        public CutData(float[][] rows, int[] labels) {
            this(rows, labels, null);
        }

        /** Features with labels, as cut data at the features. */
        public static CutData of(LabelledFeatures features) {
            return new CutData(features.features(), features.labels());
        }

        public int size() {
            return labels.length;
        }
    }

    /** Sees every optimiser step; returning false ends training after that step. */
    public interface StepObserver {
        boolean afterStep(long step, double learningRate, double loss);
    }

    private final TrainConfig config;
    private final Stage stage;
    private LongToDoubleFunction rateOfStep;
    private StepObserver observer = (step, rate, loss) -> true;

    /**
     * @param config optimiser, batch size, weight decay, schedule, loss options and seed
     * @param stage epochs, rates and selection of this stage
     */
    public GraphTrainer(TrainConfig config, Stage stage) {
        this.config = config;
        this.stage = stage;
    }

    /** Replaces the schedule: the head's learning rate at each optimiser step (from 0), for lr-find. */
    public GraphTrainer rateOfStep(LongToDoubleFunction rates) {
        this.rateOfStep = rates;
        return this;
    }

    /** Watches each step and may stop training. */
    public GraphTrainer observe(StepObserver stepObserver) {
        this.observer = stepObserver;
        return this;
    }

    /** Trains on activations that stay the same every epoch. */
    public Result fit(Graph classifier, Weights initial, BlockBoundaries.Cut cut, CutData train, CutData validation,
                      Checkpoint checkpoint, String fingerprint, Consumer<EpochStats> onEpoch) {
        return fit(classifier, initial, cut, epoch -> train, validation, checkpoint, fingerprint, onEpoch);
    }

    /**
     * Trains on activations that may change from epoch to epoch (augmented views of the same images in
     * the same order); only the current epoch's are asked for, so one view is in memory at a time.
     *
     * @param classifier backbone with the head on top ({@link TrainedHead#onTopOf})
     * @param initial its weights: pretrained backbone and the head to start from
     * @param cut where the frozen part ends
     * @param trainOfEpoch the training activations of epoch e (from 1)
     * @param validation the validation split's activations, scored after every epoch (may be empty)
     * @param checkpoint where to save after each epoch and resume from; null for none
     * @param fingerprint the run's settings, stored in checkpoints and checked on resume
     * @param onEpoch called after each epoch
     */
    public Result fit(Graph classifier, Weights initial, BlockBoundaries.Cut cut, IntFunction<CutData> trainOfEpoch,
                      CutData validation, Checkpoint checkpoint, String fingerprint, Consumer<EpochStats> onEpoch) {
        DjlEngine.get().setRandomSeed((int) config.seed());
        int[] trainLabels = trainOfEpoch.apply(1).labels();
        if (trainLabels.length == 0) {
            throw new IllegalArgumentException("no training images to train on");
        }
        int numClasses = (int) classifier.shapeOf(classifier.output(Graph.Outputs.LOGITS))[0];
        ClassificationLoss loss = config.loss(trainLabels, numClasses);
        boolean selecting = stage.selectBest() && validation.size() > 0;
        try (DjlExecutor executor = DjlExecutor.above(classifier, initial, cut.value())) {
            List<String> stateNames = stateNames(classifier, cut);
            executor.attachGradient(trainableNames(classifier, cut).toArray(new String[0]));
            Map<String, NDArray> trainable = executor.trainableParameters();
            OptimizerState optimizer = new OptimizerState(config.optimizer(), config.weightDecay());
            int stepsPerEpoch = (trainLabels.length + config.batchSize() - 1) / config.batchSize();
            long totalSteps = (long) stepsPerEpoch * stage.epochs();

            List<EpochStats> history = new ArrayList<>();
            Checkpoint.Info info = checkpoint == null ? null : checkpoint.latest().orElse(null);
            Map<String, Tensor> best = null;
            int firstEpoch = 1;
            if (info != null) {
                if (!info.fingerprint().equals(fingerprint)) {
                    throw new IllegalArgumentException("--resume " + checkpoint.dir() + ": the checkpoint was made with "
                            + "other settings (" + info.fingerprint() + "); run again with those, or start a new run");
                }
                Map<String, Tensor> saved = checkpoint.read(info.stateFile());
                stateNames.forEach(n -> executor.assign(n, saved.get(n)));
                optimizer.restore(saved, trainable);
                best = checkpoint.read(info.bestFile());
                history.addAll(info.history());
                firstEpoch = info.epoch() + 1;
            } else {
                double startLoss = selecting ? evaluate(executor, cut, validation, null)[0] : Double.NaN;
                best = selecting ? snapshot(executor, stateNames) : null;
                info = new Checkpoint.Info(fingerprint, 0, "", Checkpoint.bestFile(0), 0, startLoss, 0, List.of());
            }
            int bestEpoch = info.bestEpoch();
            double bestLoss = info.bestLoss();
            int badEpochs = info.badEpochs();
            int lastEpoch = firstEpoch - 1;
            boolean stopped = false;
            for (int epoch = firstEpoch; epoch <= stage.epochs() && !stopped; epoch++) {
                if (stage.patience() > 0 && badEpochs >= stage.patience()) {
                    break;
                }
                long start = System.nanoTime();
                CutData train = trainOfEpoch.apply(epoch);
                int[] order = shuffled(train.size(), config.seed(), epoch);
                double lossSum = 0;
                int seen = 0;
                for (int from = 0; from < order.length && !stopped; from += config.batchSize()) {
                    int to = Math.min(order.length, from + config.batchSize());
                    long step = optimizer.steps();
                    double rate = rateOfStep != null ? rateOfStep.applyAsDouble(step)
                            : stage.learningRate() * config.schedule().factor(step, totalSteps);
                    double l = step(executor, cut, train, order, from, to, loss, optimizer, trainable, rate);
                    lossSum += l * (to - from);
                    seen += to - from;
                    stopped = !observer.afterStep(step, rate, l);
                }
                double[] lossAcc = evaluate(executor, cut, validation, null);
                EpochStats stats = new EpochStats(epoch, stage.epochs(), lossSum / Math.max(1, seen), lossAcc[0],
                        lossAcc[1], (System.nanoTime() - start) / 1e9);
                history.add(stats);
                lastEpoch = epoch;
                boolean improved = selecting && lossAcc[0] < bestLoss;
                if (improved) {
                    bestLoss = lossAcc[0];
                    bestEpoch = epoch;
                    badEpochs = 0;
                    best = snapshot(executor, stateNames);
                } else if (selecting) {
                    badEpochs++;
                } else {
                    bestEpoch = epoch;
                }
                if (checkpoint != null) {
                    Map<String, Tensor> state = snapshot(executor, stateNames);
                    state.putAll(optimizer.save());
                    Map<String, Tensor> bestState = selecting ? best : state;
                    checkpoint.save(new Checkpoint.Info(fingerprint, epoch, Checkpoint.stateFile(epoch),
                            Checkpoint.bestFile(bestEpoch), bestEpoch, bestLoss, badEpochs, List.copyOf(history)),
                            state, improved || epoch == 1 || !selecting ? bestState : null);
                }
                onEpoch.accept(stats);
            }
            if (selecting) {
                Map<String, Tensor> keep = best;
                stateNames.forEach(n -> executor.assign(n, keep.get(n)));
            }
            Map<String, Tensor> all = new LinkedHashMap<>(initial.asMap());
            all.putAll(executor.weights().asMap());
            return new Result(new Weights(all), history, bestEpoch, lastEpoch);
        }
    }

    /**
     * Class probabilities of a trained classifier for activations at a cut, computed on DJL as training
     * computed them (what the exported model's output is checked against).
     */
    public static float[][] probabilities(Graph classifier, Weights weights, BlockBoundaries.Cut cut, CutData data) {
        float[][] probabilities = new float[data.size()][];
        try (DjlExecutor executor = DjlExecutor.above(classifier, weights, cut.value())) {
            evaluate(executor, cut, data, probabilities);
        }
        return probabilities;
    }

    /** One optimiser step on rows {@code order[from..to)}; returns the batch's mean training loss. */
    private double step(DjlExecutor executor, BlockBoundaries.Cut cut, CutData train, int[] order, int from, int to,
                        ClassificationLoss loss, OptimizerState optimizer, Map<String, NDArray> trainable,
                        double rate) {
        double value;
        try (NDManager batch = executor.manager().newSubManager()) {
            NDArray x = batch.create(pack(train.rows(), order, from, to, cut.width()), shape(cut, to - from));
            NDArray y = batch.create(pick(train.labels(), order, from, to));
            NDArray w = train.weights() == null ? null : batch.create(pick(train.weights(), order, from, to));
            try (GradientCollector gc = DjlEngine.get().newGradientCollector()) {
                NDArray logits = executor.forwardFrom(cut.value(), x, true).get(Graph.Outputs.LOGITS);
                NDArray l = loss.evaluate(new NDList(y), new NDList(logits.logSoftmax(1)), w);
                value = l.getFloat();
                gc.backward(l);
            }
        }
        optimizer.step(trainable, name -> rate * (name.startsWith(HEAD_PREFIX) ? 1 : stage.backboneLrMult()));
        return value;
    }

    /**
     * The one evaluation loop: mean plain cross-entropy and accuracy over a set, in inference mode.
     *
     * @param probabilities filled with each row's class probabilities when not null
     * @return {loss, accuracy}; NaN for an empty set
     */
    private static double[] evaluate(DjlExecutor executor, BlockBoundaries.Cut cut, CutData set,
                                     float[][] probabilities) {
        int n = set.size();
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        ClassificationLoss plain = ClassificationLoss.plain();
        int[] order = shuffled(n, 0, -1);
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += EVAL_BATCH) {
            int to = Math.min(n, from + EVAL_BATCH);
            try (NDManager batch = executor.manager().newSubManager()) {
                NDArray x = batch.create(pack(set.rows(), order, from, to, cut.width()), shape(cut, to - from));
                NDArray y = batch.create(pick(set.labels(), order, from, to));
                NDArray logits = executor.forwardFrom(cut.value(), x, false).get(Graph.Outputs.LOGITS);
                lossSum += plain.evaluate(new NDList(y), new NDList(logits.logSoftmax(1))).getFloat() * (to - from);
                int[] predicted = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
                for (int k = 0; k < predicted.length; k++) {
                    correct += predicted[k] == set.labels()[from + k] ? 1 : 0;
                }
                if (probabilities != null) {
                    float[] flat = logits.softmax(1).toFloatArray();
                    int classes = flat.length / (to - from);
                    for (int k = 0; k < to - from; k++) {
                        probabilities[from + k] = Arrays.copyOfRange(flat, k * classes, (k + 1) * classes);
                    }
                }
            }
        }
        return new double[] {lossSum / n, (double) correct / n};
    }

    /** Parameters that train: weights and biases of the unfrozen blocks (no batch-norm with freezeBn) and the head. */
    List<String> trainableNames(Graph graph, BlockBoundaries.Cut cut) {
        List<String> bnParameters = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (n.op() == Op.BATCH_NORM) {
                bnParameters.add(n.name() + ".");
            }
        }
        List<String> names = new ArrayList<>();
        for (String name : stateNames(graph, cut)) {
            boolean bn = bnParameters.stream().anyMatch(name::startsWith);
            boolean statistic = name.endsWith(".running_mean") || name.endsWith(".running_var");
            if (!statistic && !(bn && stage.freezeBn())) {
                names.add(name);
            }
        }
        return names;
    }

    /** Everything that can change: all parameters (and statistics) of the unfrozen blocks and the head. */
    static List<String> stateNames(Graph graph, BlockBoundaries.Cut cut) {
        List<String> names = new ArrayList<>();
        for (String name : graph.parameters().keySet()) {
            if (name.startsWith(HEAD_PREFIX) || cut.trainablePrefixes().stream().anyMatch(name::startsWith)) {
                names.add(name);
            }
        }
        return names;
    }

    private static Map<String, Tensor> snapshot(DjlExecutor executor, List<String> names) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        names.forEach(n -> state.put(n, executor.tensor(n)));
        return state;
    }

    /** 0..n-1, shuffled by a generator seeded from (seed, epoch) only; epoch -1 keeps the order. */
    public static int[] shuffled(int n, long seed, int epoch) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        if (epoch < 0) {
            return a;
        }
        Random random = new Random(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static Shape shape(BlockBoundaries.Cut cut, int n) {
        long[] s = new long[cut.shape().length + 1];
        s[0] = n;
        System.arraycopy(cut.shape(), 0, s, 1, cut.shape().length);
        return new Shape(s);
    }

    private static float[] pack(float[][] rows, int[] order, int from, int to, int width) {
        float[] out = new float[(to - from) * width];
        for (int i = from; i < to; i++) {
            System.arraycopy(rows[order[i]], 0, out, (i - from) * width, width);
        }
        return out;
    }

    private static int[] pick(int[] labels, int[] order, int from, int to) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = labels[order[i]];
        }
        return out;
    }

    private static float[] pick(float[] weights, int[] order, int from, int to) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = weights[order[i]];
        }
        return out;
    }
}
