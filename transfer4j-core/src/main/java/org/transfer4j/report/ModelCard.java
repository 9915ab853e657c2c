package org.transfer4j.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.transfer4j.eval.Evaluation;
import org.transfer4j.model.Manifest;

/**
 * {@code MODEL_CARD.md}: what the model is for, what it was trained on, how well it does on which
 * data, what it cannot do, and a warning when the result looks like negative transfer.
 */
public final class ModelCard {

    /** Section headings, in order; a complete card has all of them. */
    public static final List<String> SECTIONS = List.of("## Intended use", "## Training data", "## Metrics",
            "## Limitations");

    /** How far above chance, as a share of the way from chance to perfect, a result must be. */
    static final double ABOVE_CHANCE = 0.1;
    /** How far below the majority-class baseline counts as far below. */
    static final double BELOW_BASELINE = 0.05;

    private ModelCard() {
    }

    /**
     * A warning when the accuracy suggests the backbone's features do not fit the task (negative
     * transfer): close to chance (within {@value #ABOVE_CHANCE} of the way from chance to 100 %), or
     * more than {@value #BELOW_BASELINE} below always guessing the most frequent class.
     */
    public static Optional<String> negativeTransferWarning(Evaluation e) {
        double accuracy = e.accuracy();
        if (Double.isNaN(accuracy)) {
            return Optional.empty();
        }
        double chance = e.chance();
        if (accuracy < chance + ABOVE_CHANCE * (1 - chance)) {
            return Optional.of(String.format(Locale.ROOT, "Possible negative transfer: accuracy %.1f%% is close to "
                    + "chance (%.1f%% for %d classes). The pretrained features may not suit these images; try "
                    + "another backbone, check the labels, or fine-tune.", 100 * accuracy, 100 * chance, e.classes().size()));
        }
        if (accuracy < e.majorityBaseline() - BELOW_BASELINE) {
            return Optional.of(String.format(Locale.ROOT, "Possible negative transfer: accuracy %.1f%% is far below "
                    + "the majority-class baseline (%.1f%%, always answering the most frequent class). The model "
                    + "does worse than a constant guess; check the labels and the class balance, or try another "
                    + "backbone.", 100 * accuracy, 100 * e.majorityBaseline()));
        }
        return Optional.empty();
    }

    /**
     * Renders the card.
     *
     * @param evaluatedOn the dataset the metrics come from, in words
     */
    public static String render(Manifest m, Evaluation e, String evaluatedOn) {
        RunFacts facts = RunFacts.of(m);
        StringBuilder s = new StringBuilder();
        s.append("# Model card: ").append(String.join(" / ", m.classes())).append("\n\n");
        negativeTransferWarning(e).ifPresent(w -> s.append("> **Warning.** ").append(w).append("\n\n"));
        s.append("## Intended use\n\n");
        s.append("Sorts an image into one of ").append(m.classes().size()).append(" classes: ")
                .append(String.join(", ", m.classes())).append(". It is a ").append(m.backbone().name())
                .append(" backbone pretrained on ImageNet (weights ").append(m.backbone().weightSet())
                .append(", kept frozen) with a new head trained by transfer4j. Use it on images like the training "
                        + "data; " + (m.unknown() == null ? "it always answers one of these classes, also for images that "
                        + "show none of them.\n\n" : "it answers \"unknown\" for images far from every class: "
                        + m.unknown().describe() + ". Images near a class but showing none still get a class.\n\n"));
        s.append("## Training data\n\n");
        Manifest.TrainingInfo t = m.training();
        if (t != null) {
            s.append("Folder `").append(t.dataset()).append("`").append(t.split() == null ? "" : ", " + t.split().layout())
                    .append(String.format(Locale.ROOT, "; %d epochs, batch %d, %s, learning rate %s, seed %d.%n%n",
                            t.epochs(), t.batchSize(), t.optimizer(), t.learningRate(), t.seed()));
        }
        if (m.semi() != null) {
            s.append("Unlabeled images also trained the head (semi-supervised): ").append(m.semi().summary())
                    .append(".\n\n");
        }
        s.append("| class | train | validation | test |\n|---|---:|---:|---:|\n");
        for (int c = 0; c < m.classes().size(); c++) {
            s.append("| ").append(m.classes().get(c)).append(" | ").append(facts.trainCounts()[c]).append(" | ")
                    .append(facts.validationCounts()[c]).append(" | ").append(facts.testCounts()[c]).append(" |\n");
        }
        s.append("| **total** | ").append(RunFacts.sum(facts.trainCounts())).append(" | ")
                .append(RunFacts.sum(facts.validationCounts())).append(" | ")
                .append(RunFacts.sum(facts.testCounts())).append(" |\n\n");
        if (facts.run() != null) {
            s.append(String.format(Locale.ROOT, "Every choice (the kept epoch: %d) was made on the validation split; "
                    + "the test split was scored once, by the exported model.", facts.run().bestEpoch()));
            if (facts.run().parity() != null) {
                s.append(String.format(Locale.ROOT, " Export check: model.onnx differs from the trained model by at "
                        + "most %.2g in a class probability.", facts.run().parity().maxAbsDifference()));
            }
            s.append("\n\n");
            if (facts.run().transferCheck() != null) {
                s.append("Will ImageNet help? ").append(facts.run().transferCheck().message()).append(". Advice: ")
                        .append(facts.run().transferCheck().suggestion()).append(".\n\n");
            }
        }
        s.append("## Metrics\n\n");
        s.append("On ").append(evaluatedOn).append(", ").append(e.total()).append(" images:\n\n");
        s.append("| measure | value |\n|---|---:|\n");
        row(s, "accuracy", e.accuracy());
        row(s, "balanced accuracy", e.balancedAccuracy());
        if (e.classes().size() > 2) {
            row(s, "top-" + Math.min(5, e.classes().size()) + " accuracy", e.topKAccuracy(Math.min(5, e.classes().size())));
        }
        row(s, "majority-class baseline", e.majorityBaseline());
        row(s, "chance", e.chance());
        s.append("\n| class | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|\n");
        for (Evaluation.ClassMetrics c : e.perClass()) {
            s.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %d |%n", c.name(), c.precision(),
                    c.recall(), c.f1(), c.support()));
        }
        s.append("\n## Limitations\n\n");
        limitations(s, m, e, facts);
        return s.toString();
    }

    private static void limitations(StringBuilder s, Manifest m, Evaluation e, RunFacts facts) {
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (int c : facts.trainCounts()) {
            smallest = Math.min(smallest, c);
            largest = Math.max(largest, c);
        }
        s.append(String.format(Locale.ROOT, "- Measured on %d held-out images; with so few, the accuracy is known "
                + "to about ±%.1f points (95 %% interval).%n", e.total(),
                e.total() == 0 ? 100.0 : 196 * Math.sqrt(Math.max(e.accuracy() * (1 - e.accuracy()), 1e-4) / e.total())));
        s.append("- Trained on ").append(RunFacts.sum(facts.trainCounts())).append(" images (").append(smallest)
                .append(" to ").append(largest).append(" per class)")
                .append(largest > 2 * smallest ? "; the classes are imbalanced, so watch the per-class recall." : ".")
                .append("\n");
        List<Evaluation.ConfusedPair> pairs = e.mostConfused(1);
        if (!pairs.isEmpty()) {
            Evaluation.ConfusedPair p = pairs.get(0);
            s.append(String.format(Locale.ROOT, "- Most frequent mistake: %s taken for %s (%d images, %.1f%% of %s).%n",
                    p.truth(), p.predicted(), p.count(), 100 * p.rate(), p.truth()));
        }
        s.append("- The backbone learned from ImageNet photos; images far from them (drawings, medical scans, "
                + "satellite views) may transfer poorly. Images are resized to ").append(m.preprocessing().resize())
                .append(" and centre-cropped to ").append(m.preprocessing().crop())
                .append(", so objects near the border can be cut off.\n");
        s.append("- No calibration, fairness or robustness study was made; the probabilities are the softmax of "
                + "the head and may be over-confident.\n");
    }

    private static void row(StringBuilder s, String name, double value) {
        s.append("| ").append(name).append(" | ").append(HtmlReport.pct(value)).append(" |\n");
    }
}
