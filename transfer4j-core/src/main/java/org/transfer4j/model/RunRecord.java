package org.transfer4j.model;

import java.util.List;
import org.transfer4j.doctor.Finding;
import org.transfer4j.eval.Evaluation;
import org.transfer4j.train.EpochStats;

/**
 * What a training run measured, typed: the per-epoch history, the choices made on the validation
 * split, the evaluation of each split, the data warnings, the export check and the timings. The
 * manifest, the report and the model card are written from it.
 *
 * @param history one entry per epoch, head epochs then fine-tuning epochs
 * @param headEpochs how many of the history's epochs trained the head alone
 * @param bestEpoch the epoch whose weights were kept (chosen on the validation loss when fine-tuning;
 *     else the last); counted like the history
 * @param lastEpoch the last epoch run (below the planned ones when early stopping ended training)
 * @param validation the validation split, scored with the kept weights; null without one
 * @param test the test split, scored once by the exported model; null without one
 * @param dataWarnings what the data check found
 * @param parity the export check: the exported model against the training-time model
 * @param timings seconds spent
 */
public record RunRecord(List<EpochStats> history, int headEpochs, int bestEpoch, int lastEpoch, SplitScore validation,
                        SplitScore test, List<Finding> dataWarnings, ExportParity parity, Timings timings) {

    public RunRecord {
        history = history == null ? List.of() : List.copyOf(history);
        dataWarnings = dataWarnings == null ? List.of() : List.copyOf(dataWarnings);
    }

    /** The negative-transfer check among the data warnings ({@code select.TransferCheck}), or null when not run. */
    public Finding transferCheck() {
        return dataWarnings.stream().filter(f -> "transfer".equals(f.code())).findFirst().orElse(null);
    }

    /**
     * One split's figures.
     *
     * @param split {@code validation} or {@code test}
     * @param images images scored
     * @param accuracy top-1 accuracy
     * @param balancedAccuracy mean per-class recall
     * @param majorityBaseline accuracy of always answering the most frequent class
     * @param scoredBy what computed the probabilities, e.g. "model.onnx (ONNX Runtime)"
     */
    public record SplitScore(String split, int images, double accuracy, double balancedAccuracy,
                             double majorityBaseline, String scoredBy) {

        /** The figures of an evaluation. */
        public static SplitScore of(String split, Evaluation e, String scoredBy) {
            return new SplitScore(split, (int) e.total(), e.accuracy(), e.balancedAccuracy(), e.majorityBaseline(),
                    scoredBy);
        }
    }

    /**
     * The export check: the largest absolute difference between the class probabilities of
     * {@code model.onnx} on ONNX Runtime and those of the training-time model on DJL, over a split.
     *
     * @param split the split compared (test, or validation when there is no test split)
     * @param images images compared
     * @param maxAbsDifference the largest difference over all images and classes
     * @param tolerance the most allowed; a larger difference fails the save
     */
    public record ExportParity(String split, int images, double maxAbsDifference, double tolerance) {
    }

    /**
     * Seconds spent.
     *
     * @param featureSeconds reading images and computing (or loading cached) features
     * @param trainingSeconds all training epochs
     * @param evaluationSeconds the final scoring and the export check
     */
    public record Timings(double featureSeconds, double trainingSeconds, double evaluationSeconds) {
    }
}
