package org.transfer4j.train;

/**
 * Settings of the fine-tuning stage, which follows head training on cached features.
 *
 * @param unfreeze how many top blocks of the backbone train ({@link BlockBoundaries})
 * @param epochs fine-tuning epochs (after the head-only epochs of {@link TrainConfig})
 * @param learningRate peak rate of the head in this stage
 * @param backboneLrMult the backbone's rate relative to the head's
 * @param freezeBn keep every batch-norm layer in inference mode and its parameters fixed
 * @param patience stop after this many epochs without a lower validation loss; 0 never stops early
 */
public record FineTuneConfig(int unfreeze, int epochs, float learningRate, float backboneLrMult,
                             boolean freezeBn, int patience) {

    public FineTuneConfig {
        if (unfreeze < 1) {
            throw new IllegalArgumentException("--unfreeze must be at least 1, got " + unfreeze);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--finetune-epochs must be at least 1, got " + epochs);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("--finetune-lr must be positive, got " + learningRate);
        }
        if (!(backboneLrMult > 0 && backboneLrMult <= 1)) {
            throw new IllegalArgumentException("--backbone-lr-mult must be in (0, 1], got " + backboneLrMult);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("--patience must be 0 (off) or more, got " + patience);
        }
    }

    /** Unfreeze the top 2 blocks for 5 epochs, head rate 1e-4, backbone at 0.1× that, patience 3. */
    public static FineTuneConfig defaults() {
        return new FineTuneConfig(2, 5, 1e-4f, 0.1f, false, 3);
    }
}
