package org.transfer4j.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.transfer4j.exec.DjlEngine;
import org.transfer4j.weights.Tensor;

/**
 * Trains a classifier head on cached backbone features with DJL on libtorch: LogSoftmax outputs,
 * cross-entropy (optionally class-weighted and label-smoothed, {@link ClassificationLoss}), Adam or SGD,
 * a learning-rate {@link Schedule}. Deterministic on CPU for a given seed. Test loss is plain NLL.
 */
public final class HeadTrainer {

    private final TrainConfig config;

    public HeadTrainer(TrainConfig config) {
        this.config = config;
    }

    /**
     * Trains and evaluates after every epoch.
     *
     * @param train training features and labels
     * @param test held-out features and labels, evaluated each epoch
     * @param numClasses number of classes
     * @param onEpoch called after each epoch (progress lines)
     * @return the head's weights and the per-epoch history
     */
    public TrainedHead fit(LabelledFeatures train, LabelledFeatures test, int numClasses,
                           Consumer<EpochStats> onEpoch) {
        return fit(epoch -> train, test, numClasses, onEpoch);
    }

    /**
     * Trains on features that may change from epoch to epoch (augmented views of the same images, in
     * the same order), and evaluates after every epoch.
     *
     * @param trainOfEpoch the training features of epoch e (from 1); the same images and labels every epoch
     */
    public TrainedHead fit(IntFunction<LabelledFeatures> trainOfEpoch, LabelledFeatures test, int numClasses,
                           Consumer<EpochStats> onEpoch) {
        LabelledFeatures first = trainOfEpoch.apply(1);
        DjlEngine.get().setRandomSeed((int) config.seed());
        int width = first.width();
        Loss loss = config.loss(first.labels(), numClasses);
        Loss testLoss = new SoftmaxCrossEntropyLoss("nll", 1f, -1, true, true);
        int totalSteps = config.epochs() * ((first.size() + config.batchSize() - 1) / config.batchSize());
        Tracker rate = numUpdate -> (float) (config.learningRate()
                * config.schedule().factor(Math.max(0, numUpdate - 1), Math.max(1, totalSteps)));
        Optimizer optimizer = optimizer(config, rate);
        List<EpochStats> history = new ArrayList<>();
        try (Model model = Model.newInstance("head", DjlEngine.NAME)) {
            SequentialBlock block = headBlock(config.head(), numClasses);
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer))) {
                trainer.initialize(new Shape(config.batchSize(), width));
                NDManager manager = trainer.getManager();
                Random shuffle = new Random(config.seed());
                int[] order = identity(first.size());
                float[][] testProbabilities = new float[test.size()][];
                for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                    long start = System.nanoTime();
                    LabelledFeatures train = epoch == 1 ? first : trainOfEpoch.apply(epoch);
                    shuffleInPlace(order, shuffle);
                    double lossSum = 0;
                    for (int from = 0; from < order.length; from += config.batchSize()) {
                        int to = Math.min(order.length, from + config.batchSize());
                        try (NDManager batch = manager.newSubManager()) {
                            NDArray x = batch.create(train.rows(order, from, to), new Shape(to - from, width));
                            NDArray y = batch.create(train.labels(order, from, to));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow();
                                NDArray l = loss.evaluate(new NDList(y), new NDList(pred));
                                lossSum += l.getFloat() * (to - from);
                                gc.backward(l);
                            }
                            trainer.step();
                        }
                    }
                    double[] testLossAcc = evaluate(trainer, testLoss, test, manager, testProbabilities);
                    EpochStats stats = new EpochStats(epoch, config.epochs(), lossSum / order.length,
                            testLossAcc[0], testLossAcc[1], (System.nanoTime() - start) / 1e9);
                    history.add(stats);
                    onEpoch.accept(stats);
                }
                return new TrainedHead(config.head(), width, numClasses, headWeights(block), history,
                        testProbabilities);
            }
        }
    }

    /** The configured optimiser (Adam, or SGD with momentum 0.9) with its rate from {@code rate}. */
    static Optimizer optimizer(TrainConfig config, Tracker rate) {
        return config.optimizer().equals("sgd")
                ? Optimizer.sgd().setLearningRateTracker(rate)
                        .optMomentum(0.9f).optWeightDecays(config.weightDecay()).build()
                : Optimizer.adam().optLearningRateTracker(rate)
                        .optWeightDecays(config.weightDecay()).build();
    }

    /** A fresh head: hidden Linear-ReLU(-Dropout) layers, Linear to the classes, LogSoftmax. */
    static SequentialBlock headBlock(HeadSpec head, int numClasses) {
        SequentialBlock block = new SequentialBlock();
        for (int hidden : head.hidden()) {
            block.add(Linear.builder().setUnits(hidden).build());
            block.add(Activation::relu);
            if (head.dropout() > 0) {
                block.add(Dropout.builder().optRate(head.dropout()).build());
            }
        }
        block.add(Linear.builder().setUnits(numClasses).build());
        block.add(x -> new NDList(x.singletonOrThrow().logSoftmax(1)));
        return block;
    }

    /** Mean loss and accuracy over a feature set, without gradients. */
    private double[] evaluate(Trainer trainer, Loss loss, LabelledFeatures set, NDManager manager,
                              float[][] probabilities) {
        if (set.size() == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        int[] order = identity(set.size());
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < order.length; from += 256) {
            int to = Math.min(order.length, from + 256);
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = batch.create(set.rows(order, from, to), new Shape(to - from, set.width()));
                NDArray y = batch.create(set.labels(order, from, to));
                NDArray pred = trainer.evaluate(new NDList(x)).singletonOrThrow();
                lossSum += loss.evaluate(new NDList(y), new NDList(pred)).getFloat() * (to - from);
                NDArray predicted = pred.argMax(1).toType(DataType.INT32, false);
                correct += predicted.eq(y).sum().getLong();
                float[] flat = pred.exp().toFloatArray();
                int classes = (int) pred.getShape().get(1);
                for (int i = from; i < to; i++) {
                    probabilities[i] = java.util.Arrays.copyOfRange(flat, (i - from) * classes, (i - from + 1) * classes);
                }
            }
        }
        return new double[] {lossSum / set.size(), (double) correct / set.size()};
    }

    /** Head weights as named tensors: {@code head.linear0.weight [out, in]}, {@code head.linear0.bias}, ... */
    private static Map<String, Tensor> headWeights(SequentialBlock block) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        int index = 0;
        for (Block child : block.getChildren().values()) {
            if (child instanceof Linear linear) {
                NDArray w = linear.getParameters().get("weight").getArray();
                NDArray b = linear.getParameters().get("bias").getArray();
                weights.put("head.linear" + index + ".weight", new Tensor(w.getShape().getShape(), w.toFloatArray()));
                weights.put("head.linear" + index + ".bias", new Tensor(b.getShape().getShape(), b.toFloatArray()));
                index++;
            }
        }
        return weights;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static void shuffleInPlace(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
