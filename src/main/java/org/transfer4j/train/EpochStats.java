package org.transfer4j.train;

/**
 * What one epoch of training measured.
 *
 * @param epoch 1-based epoch number
 * @param epochs total epochs planned
 * @param trainLoss mean NLL loss over the training batches
 * @param testLoss mean NLL loss over the test set
 * @param accuracy test accuracy
 * @param seconds wall time of the epoch
 */
public record EpochStats(int epoch, int epochs, double trainLoss, double testLoss, double accuracy, double seconds) {

    /** The one-line form: {@code epoch 3/10  train_loss 0.1123  test_loss 0.0912  accuracy 0.9687  2.1s}. */
    public String line() {
        return String.format(java.util.Locale.ROOT, "epoch %d/%d  train_loss %.4f  test_loss %.4f  accuracy %.4f  %.1fs",
                epoch, epochs, trainLoss, testLoss, accuracy, seconds);
    }
}
