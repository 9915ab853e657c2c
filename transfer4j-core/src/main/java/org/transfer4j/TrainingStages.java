package org.transfer4j;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.model.RunRecord;
import org.transfer4j.semi.HeadTraining;
import org.transfer4j.semi.SemiMethod;
import org.transfer4j.semi.SemiSupervision;
import org.transfer4j.train.AugmentedViews;
import org.transfer4j.train.BlockBoundaries;
import org.transfer4j.train.EpochStats;
import org.transfer4j.train.FineTuneConfig;
import org.transfer4j.train.GraphTrainer;
import org.transfer4j.train.StagedFineTuning;
import org.transfer4j.train.TrainConfig;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * The training half of {@link Transfer#fit()}: a fresh head trained on the cached features, then,
 * when fine-tuning, the top blocks with it on cached cut activations; both with the one
 * {@link GraphTrainer}, both choosing on the validation split only.
 */
final class TrainingStages {

    /**
     * What training left, ready to export and score.
     *
     * @param classifier the backbone with the head on top
     * @param weights all of its weights, as kept
     * @param head the trained head
     * @param cut the cut the last stage trained above (the features when frozen)
     * @param validation the validation split at that cut
     * @param test the test split at that cut (never read by training; for the export check)
     * @param record history, kept and last epoch, data warnings and timings so far
     * @param semi what the unlabeled images became; null without an unlabeled folder
     */
    record Trained(Graph classifier, Weights weights, TrainedHead head, BlockBoundaries.Cut cut,
                   GraphTrainer.CutData validation, GraphTrainer.CutData test, RunRecord record,
                   SemiSupervision.Outcome semi) {
    }

    private final TrainConfig config;
    private final FineTuneConfig fineTune;
    private final AugmentedViews views;
    private final ContentHashes hashes;
    private final Path cacheRoot;
    private final String cacheKey;
    private final int threads;
    private final boolean progress;
    private final PrintStream log;
    private SemiMethod semi = SemiMethod.DEFAULT;

    TrainingStages(TrainConfig config, FineTuneConfig fineTune, AugmentedViews views, ContentHashes hashes,
                   Path cacheRoot, String cacheKey, int threads, boolean progress, PrintStream log) {
        this.config = config;
        this.fineTune = fineTune;
        this.views = views;
        this.hashes = hashes;
        this.cacheRoot = cacheRoot;
        this.cacheKey = cacheKey;
        this.threads = threads;
        this.progress = progress;
        this.log = log;
    }

    /** How the unlabeled images, when there are some, take part. */
    TrainingStages semi(SemiMethod method) {
        this.semi = method;
        return this;
    }

    Trained run(DatasetFeatures data, Path checkpointDir, Consumer<EpochStats> onEpoch) {
        if (fineTune != null && fineTune.patience() > 0 && data.validationImages().isEmpty()) {
            throw new IllegalArgumentException("--patience " + fineTune.patience() + " stops on the validation loss, "
                    + "but --val-split 0 leaves no validation split: give --val-split above 0, or --patience 0");
        }
        Backbone net = data.backbone();
        long start = System.nanoTime();
        TrainedHead head = TrainedHead.initial(config.head(), net.featureWidth(), data.numClasses(), config.seed());
        Graph classifier = head.onTopOf(net.graph());
        BlockBoundaries.Cut cut = BlockBoundaries.atFeatures(net.graph());
        GraphTrainer.CutData validation = GraphTrainer.CutData.of(data.validation());
        GraphTrainer.CutData test = GraphTrainer.CutData.of(data.test());
        int totalEpochs = config.epochs() + (fineTune == null ? 0 : fineTune.epochs());
        IntFunction<GraphTrainer.CutData> trainOfEpoch = e -> GraphTrainer.CutData.of(data.trainOfEpoch(e));
        SemiSupervision.Outcome semiOutcome = null;
        if (data.unlabeled() != null) {
            semiOutcome = SemiSupervision.run(semi, GraphTrainer.CutData.of(data.train()), data.unlabeled().rows(),
                    validation, data.numClasses(), HeadTraining.onFeatures(config, net.graph(), net.featureWidth(),
                            data.numClasses()));
            log.printf("semi-supervised (%s): %d of %d unlabeled images labelled; %s%n", semi.option(),
                    semiOutcome.labelled(), data.unlabeled().count(), semiOutcome.choice());
            GraphTrainer.CutData semiTrain = semiOutcome.train();
            trainOfEpoch = e -> semiTrain;
        }
        GraphTrainer.Result headStage = new GraphTrainer(config, GraphTrainer.Stage.head(config)).fit(classifier,
                new Weights(head.weights()), cut, trainOfEpoch, validation,
                null, "", e -> onEpoch.accept(e.renumbered(0, totalEpochs)));
        Map<String, Tensor> all = new LinkedHashMap<>(net.weights().asMap());
        all.putAll(headStage.weights().asMap());
        Weights weights = new Weights(all);
        List<EpochStats> history = new ArrayList<>();
        headStage.history().forEach(e -> history.add(e.renumbered(0, totalEpochs)));
        int bestEpoch = headStage.bestEpoch();
        int lastEpoch = headStage.lastEpoch();
        if (fineTune != null) {
            int offset = history.size();
            int total = totalEpochs;
            StagedFineTuning.Outcome tuned = new StagedFineTuning(config, fineTune, views, hashes, cacheRoot, cacheKey,
                    threads, progress, log).run(net, classifier, weights, data.trainImages(), data.validationImages(),
                    data.testImages(), checkpointDir, e -> onEpoch.accept(e.renumbered(offset, total)));
            tuned.result().history().forEach(e -> history.add(e.renumbered(offset, total)));
            weights = tuned.result().weights();
            bestEpoch = offset + tuned.result().bestEpoch();
            lastEpoch = offset + tuned.result().lastEpoch();
            cut = tuned.cut();
            validation = tuned.validation();
            test = tuned.test();
        }
        RunRecord record = new RunRecord(history, headStage.history().size(), bestEpoch, lastEpoch, null, null,
                data.dataWarnings(), null,
                new RunRecord.Timings(data.featureSeconds(), (System.nanoTime() - start) / 1e9, Double.NaN));
        return new Trained(classifier, weights, head.withWeightsFrom(weights), cut, validation, test, record, semiOutcome);
    }
}
