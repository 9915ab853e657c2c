package org.transfer4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Op;
import org.transfer4j.exec.DjlEngine;
import org.transfer4j.exec.DjlExecutor;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * The second stage of staged fine-tuning: the top blocks of the backbone train together with the
 * head (already trained on cached features) on DJL. The frozen lower part ran once; its activations
 * at the {@link BlockBoundaries.Cut cut} are the input here, so an epoch runs only the unfrozen
 * blocks. Adam ({@link AdamState}) with a {@link Schedule}, the backbone at
 * {@code backboneLrMult} times the head's rate; early stopping on validation loss with the best state
 * kept; a {@link Checkpoint} after every epoch. Deterministic on CPU for a given seed: the shuffle of
 * epoch e depends only on (seed, e), so a resumed run repeats the interrupted epoch exactly.
 */
public final class FineTuner {

    private static final String HEAD_PREFIX = "head.";
    private static final int EVAL_BATCH = 64;

    /**
     * What fine-tuning produced.
     *
     * @param weights every parameter of the classifier graph, best epoch's state
     * @param history one entry per fine-tuning epoch run
     * @param testProbabilities the best state's class probabilities per test example
     * @param bestEpoch the epoch whose state was kept (0: the head-only stage was best)
     */
    public record Result(Weights weights, List<EpochStats> history, float[][] testProbabilities, int bestEpoch) {
    }

    /**
     * Activations at the cut with labels.
     *
     * @param rows one row per image, {@code cut.width()} floats
     * @param labels class per image
     */
    public record CutData(float[][] rows, int[] labels) {
    }

    private final TrainConfig config;
    private final FineTuneConfig tuning;

    public FineTuner(TrainConfig config, FineTuneConfig tuning) {
        this.config = config;
        this.tuning = tuning;
    }

    /**
     * Fine-tunes.
     *
     * @param classifier backbone with the head on top ({@link TrainedHead#onTopOf})
     * @param initial its weights: pretrained backbone and the head from the first stage
     * @param cut where the frozen part ends
     * @param checkpoint where to save after each epoch and resume from; null for none
     * @param fingerprint the run's settings, stored in checkpoints and checked on resume
     */
    public Result fit(Graph classifier, Weights initial, BlockBoundaries.Cut cut, CutData train, CutData test,
                      int numClasses, Checkpoint checkpoint, String fingerprint, Consumer<EpochStats> onEpoch) {
        return fit(classifier, initial, cut, epoch -> train, test, numClasses, checkpoint, fingerprint, onEpoch);
    }

    /**
     * Fine-tunes on activations that may change from epoch to epoch (augmented views of the same
     * images in the same order); only the current epoch's are asked for, so one view is in memory at a time.
     *
     * @param trainOfEpoch the training activations of epoch e (from 1)
     */
    public Result fit(Graph classifier, Weights initial, BlockBoundaries.Cut cut, IntFunction<CutData> trainOfEpoch,
                      CutData test, int numClasses, Checkpoint checkpoint, String fingerprint,
                      Consumer<EpochStats> onEpoch) {
        DjlEngine.get().setRandomSeed((int) config.seed());
        int[] trainLabels = trainOfEpoch.apply(1).labels();
        ClassificationLoss loss = config.loss(trainLabels, numClasses);
        ClassificationLoss validationLoss = ClassificationLoss.plain();
        try (DjlExecutor executor = new DjlExecutor(classifier, initial)) {
            List<String> stateNames = stateNames(classifier, cut);
            executor.attachGradient(trainableNames(classifier, cut).toArray(new String[0]));
            Map<String, NDArray> trainable = executor.trainableParameters();
            AdamState adam = new AdamState(config.weightDecay());
            int stepsPerEpoch = (trainLabels.length + config.batchSize() - 1) / config.batchSize();
            long totalSteps = (long) stepsPerEpoch * tuning.epochs();

            List<EpochStats> history = new ArrayList<>();
            float[][] probabilities = new float[test.labels().length][];
            Checkpoint.Info info = checkpoint == null ? null : checkpoint.latest().orElse(null);
            Map<String, Tensor> best;
            int firstEpoch = 1;
            if (info != null) {
                if (!info.fingerprint().equals(fingerprint)) {
                    throw new IllegalArgumentException("--resume " + checkpoint.dir() + ": the checkpoint was made with "
                            + "other settings (" + info.fingerprint() + "); run again with those, or start a new run");
                }
                Map<String, Tensor> saved = checkpoint.read(info.stateFile());
                stateNames.forEach(n -> executor.assign(n, saved.get(n)));
                adam.restore(saved, trainable);
                best = checkpoint.read(info.bestFile());
                history.addAll(info.history());
                firstEpoch = info.epoch() + 1;
            } else {
                double startLoss = evaluate(executor, cut, test, validationLoss, probabilities)[0];
                best = snapshot(executor, stateNames);
                info = new Checkpoint.Info(fingerprint, 0, "", Checkpoint.bestFile(0), 0, startLoss, 0, List.of());
            }
            int bestEpoch = info.bestEpoch();
            double bestLoss = info.bestLoss();
            int badEpochs = info.badEpochs();
            for (int epoch = firstEpoch; epoch <= tuning.epochs(); epoch++) {
                if (tuning.patience() > 0 && badEpochs >= tuning.patience()) {
                    break;
                }
                long start = System.nanoTime();
                CutData train = trainOfEpoch.apply(epoch);
                int[] order = shuffled(train.labels().length, config.seed(), epoch);
                double lossSum = 0;
                for (int from = 0; from < order.length; from += config.batchSize()) {
                    int to = Math.min(order.length, from + config.batchSize());
                    try (NDManager batch = executor.manager().newSubManager()) {
                        NDArray x = batch.create(pack(train.rows(), order, from, to, cut.width()), shape(cut, to - from));
                        NDArray y = batch.create(pick(train.labels(), order, from, to));
                        try (GradientCollector gc = DjlEngine.get().newGradientCollector()) {
                            NDArray logits = executor.forwardFrom(cut.value(), x, true).get(Graph.Outputs.LOGITS);
                            NDArray l = loss.evaluate(new ai.djl.ndarray.NDList(y),
                                    new ai.djl.ndarray.NDList(logits.logSoftmax(1)));
                            lossSum += l.getFloat() * (to - from);
                            gc.backward(l);
                        }
                        double factor = config.schedule().factor(adam.steps(), totalSteps);
                        adam.step(trainable, name -> tuning.learningRate() * factor
                                * (name.startsWith(HEAD_PREFIX) ? 1 : tuning.backboneLrMult()));
                    }
                }
                double[] lossAcc = evaluate(executor, cut, test, validationLoss, probabilities);
                EpochStats stats = new EpochStats(epoch, tuning.epochs(), lossSum / order.length, lossAcc[0],
                        lossAcc[1], (System.nanoTime() - start) / 1e9);
                history.add(stats);
                boolean improved = lossAcc[0] < bestLoss;
                if (improved) {
                    bestLoss = lossAcc[0];
                    bestEpoch = epoch;
                    badEpochs = 0;
                    best = snapshot(executor, stateNames);
                } else {
                    badEpochs++;
                }
                if (checkpoint != null) {
                    Map<String, Tensor> state = snapshot(executor, stateNames);
                    state.putAll(adam.save());
                    checkpoint.save(new Checkpoint.Info(fingerprint, epoch, Checkpoint.stateFile(epoch),
                            Checkpoint.bestFile(bestEpoch), bestEpoch, bestLoss, badEpochs, List.copyOf(history)),
                            state, improved || epoch == 1 ? best : null);
                }
                onEpoch.accept(stats);
            }
            Map<String, Tensor> keep = best;
            stateNames.forEach(n -> executor.assign(n, keep.get(n)));
            evaluate(executor, cut, test, validationLoss, probabilities);
            return new Result(executor.weights(), history, probabilities, bestEpoch);
        }
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
            if (!statistic && !(bn && tuning.freezeBn())) {
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

    private double[] evaluate(DjlExecutor executor, BlockBoundaries.Cut cut, CutData set, ClassificationLoss loss,
                              float[][] probabilities) {
        int n = set.labels().length;
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        int[] order = shuffled(n, 0, -1);
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += EVAL_BATCH) {
            int to = Math.min(n, from + EVAL_BATCH);
            try (NDManager batch = executor.manager().newSubManager()) {
                NDArray x = batch.create(pack(set.rows(), order, from, to, cut.width()), shape(cut, to - from));
                NDArray y = batch.create(pick(set.labels(), order, from, to));
                NDArray logits = executor.forwardFrom(cut.value(), x, false).get(Graph.Outputs.LOGITS);
                lossSum += loss.evaluate(new ai.djl.ndarray.NDList(y),
                        new ai.djl.ndarray.NDList(logits.logSoftmax(1))).getFloat() * (to - from);
                int[] predicted = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
                for (int k = 0; k < predicted.length; k++) {
                    correct += predicted[k] == set.labels()[from + k] ? 1 : 0;
                }
                float[] flat = logits.softmax(1).toFloatArray();
                int classes = flat.length / (to - from);
                for (int k = 0; k < to - from; k++) {
                    probabilities[from + k] = java.util.Arrays.copyOfRange(flat, k * classes, (k + 1) * classes);
                }
            }
        }
        return new double[] {lossSum / n, (double) correct / n};
    }

    private static Map<String, Tensor> snapshot(DjlExecutor executor, List<String> names) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        names.forEach(n -> state.put(n, executor.tensor(n)));
        return state;
    }

    /** 0..n-1, shuffled by a generator seeded from (seed, epoch) only; epoch -1 keeps the order. */
    static int[] shuffled(int n, long seed, int epoch) {
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
}
