package org.transfer4j.train;

import java.util.Locale;

/**
 * What one epoch of training measured. The figures after training are the validation split's: the
 * test split is never scored during training.
 *
 * @param epoch 1-based epoch number, counted on across stages
 * @param epochs total epochs planned
 * @param trainLoss mean loss over the training batches (with class weights and smoothing, if any)
 * @param validationLoss mean plain cross-entropy over the validation split; NaN without one
 * @param validationAccuracy validation accuracy; NaN without a validation split
 * @param seconds wall time of the epoch
 */
public record EpochStats(int epoch, int epochs, double trainLoss, double validationLoss, double validationAccuracy,
                         double seconds) {

    /** The one-line form: {@code epoch 3/10  train_loss 0.1123  val_loss 0.0912  val_accuracy 0.9687  2.1s}. */
    public String line() {
        if (Double.isNaN(validationLoss)) {
            return String.format(Locale.ROOT, "epoch %d/%d  train_loss %.4f  %.1fs", epoch, epochs, trainLoss, seconds);
        }
        return String.format(Locale.ROOT, "epoch %d/%d  train_loss %.4f  val_loss %.4f  val_accuracy %.4f  %.1fs",
                epoch, epochs, trainLoss, validationLoss, validationAccuracy, seconds);
    }

    /** The same epoch numbered on after {@code offset} earlier epochs, of {@code total} in all. */
    public EpochStats renumbered(int offset, int total) {
        return new EpochStats(offset + epoch, total, trainLoss, validationLoss, validationAccuracy, seconds);
    }
}
