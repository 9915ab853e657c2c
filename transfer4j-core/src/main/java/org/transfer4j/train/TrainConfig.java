package org.transfer4j.train;

/**
 * Hyper-parameters of head training; an immutable value with visible defaults.
 *
 * @param head the classifier head
 * @param epochs passes over the training features
 * @param batchSize examples per optimiser step
 * @param learningRate optimiser step size
 * @param optimizer {@code adam} or {@code sgd} (momentum 0.9)
 * @param weightDecay L2 penalty added to the head's gradients (fine-tuning applies it decoupled, as AdamW:
 *     {@link AdamState})
 * @param seed seed of weight initialisation, shuffling and dropout
 * @param schedule learning-rate schedule over all steps
 * @param classWeights weight each class by {@code n / (K · n_c)} in the loss ({@code --class-weights auto})
 * @param labelSmoothing label smoothing ε in [0, 1)
 */
public record TrainConfig(HeadSpec head, int epochs, int batchSize, float learningRate, String optimizer,
                          float weightDecay, long seed, Schedule schedule, boolean classWeights,
                          float labelSmoothing) {

    /** Constant rate, no class weights, no smoothing. */
    public TrainConfig(HeadSpec head, int epochs, int batchSize, float learningRate, String optimizer,
                       float weightDecay, long seed) {
        this(head, epochs, batchSize, learningRate, optimizer, weightDecay, seed, Schedule.constant(), false, 0f);
    }

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("--lr must be positive, got " + learningRate);
        }
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("--optimizer must be adam or sgd, got " + optimizer);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("--label-smoothing must be in [0, 1), got " + labelSmoothing);
        }
    }

    /** The classic frozen-backbone recipe: head 500, Adam 1e-3, 10 epochs, batch 64, seed 42. */
    public static TrainConfig frozen() {
        return new TrainConfig(HeadSpec.classic(), 10, 64, 1e-3f, "adam", 0f, 42);
    }

    public TrainConfig withHead(HeadSpec newHead) {
        return new TrainConfig(newHead, epochs, batchSize, learningRate, optimizer, weightDecay, seed, schedule, classWeights, labelSmoothing);
    }

    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(head, newEpochs, batchSize, learningRate, optimizer, weightDecay, seed, schedule, classWeights, labelSmoothing);
    }

    public TrainConfig withBatchSize(int newBatchSize) {
        return new TrainConfig(head, epochs, newBatchSize, learningRate, optimizer, weightDecay, seed, schedule, classWeights, labelSmoothing);
    }

    public TrainConfig withLearningRate(float newLearningRate) {
        return new TrainConfig(head, epochs, batchSize, newLearningRate, optimizer, weightDecay, seed, schedule, classWeights, labelSmoothing);
    }

    public TrainConfig withOptimizer(String newOptimizer) {
        return new TrainConfig(head, epochs, batchSize, learningRate, newOptimizer, weightDecay, seed, schedule, classWeights, labelSmoothing);
    }

    public TrainConfig withWeightDecay(float newWeightDecay) {
        return new TrainConfig(head, epochs, batchSize, learningRate, optimizer, newWeightDecay, seed, schedule, classWeights, labelSmoothing);
    }

    public TrainConfig withSeed(long newSeed) {
        return new TrainConfig(head, epochs, batchSize, learningRate, optimizer, weightDecay, newSeed, schedule, classWeights, labelSmoothing);
    }

    public TrainConfig withSchedule(Schedule newSchedule) {
        return new TrainConfig(head, epochs, batchSize, learningRate, optimizer, weightDecay, seed, newSchedule,
                classWeights, labelSmoothing);
    }

    public TrainConfig withClassWeights(boolean balanced) {
        return new TrainConfig(head, epochs, batchSize, learningRate, optimizer, weightDecay, seed, schedule,
                balanced, labelSmoothing);
    }

    public TrainConfig withLabelSmoothing(float epsilon) {
        return new TrainConfig(head, epochs, batchSize, learningRate, optimizer, weightDecay, seed, schedule,
                classWeights, epsilon);
    }

    /** The loss for training labels (class weights from their counts when asked). */
    public ClassificationLoss loss(int[] trainLabels, int numClasses) {
        return new ClassificationLoss(classWeights ? ClassificationLoss.balancedWeights(trainLabels, numClasses)
                : null, labelSmoothing);
    }
}
