package org.transfer4j.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.GraphBuilder;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.Sample;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.Weights;

/**
 * The fine-tuning half of the staged recipe, given the backbone and the head trained on cached
 * features: finds the {@link BlockBoundaries.Cut cut}, computes the frozen part's activations there
 * once on ONNX Runtime (cached on disk like features, keyed by backbone and cut), then runs the
 * {@link GraphTrainer} over the unfrozen blocks only.
 */
public final class StagedFineTuning {

    private final TrainConfig config;
    private final FineTuneConfig tuning;
    private final Path cacheRoot;
    private final String cacheKey;
    private final int threads;
    private final boolean progress;
    private final PrintStream log;
    private final AugmentedViews views;
    private final ContentHashes hashes;

    /**
     * @param views augmented views of the training images: epoch e of fine-tuning trains on the cut
     *     activations of view {@link AugmentedViews#viewOfEpoch(int) (e - 1) mod count}, each computed
     *     once and cached like features; the validation and test images are never augmented
     * @param hashes the run's content hashes (the cache key of each image)
     * @param cacheKey the backbone's feature-cache key; cut activations go next to its features
     */
    public StagedFineTuning(TrainConfig config, FineTuneConfig tuning, AugmentedViews views, ContentHashes hashes,
                            Path cacheRoot, String cacheKey, int threads, boolean progress, PrintStream log) {
        this.views = java.util.Objects.requireNonNull(views, "views");
        this.hashes = hashes;
        this.config = config;
        this.tuning = tuning;
        this.cacheRoot = cacheRoot;
        this.cacheKey = cacheKey;
        this.threads = threads;
        this.progress = progress;
        this.log = log;
    }

    /**
     * What fine-tuning produced, and the activations at its cut of the validation and test images (to
     * score them with the tuned weights: the validation figures, and the export check of the test split).
     */
    public record Outcome(GraphTrainer.Result result, BlockBoundaries.Cut cut, GraphTrainer.CutData validation,
                          GraphTrainer.CutData test) {
    }

    /**
     * Fine-tunes the top blocks and the head. The validation images choose the kept epoch and stop
     * training early; the test images are only run to the cut, for the export check after training.
     *
     * @param classifier the backbone with the head on top ({@link TrainedHead#onTopOf})
     * @param start its weights: the pretrained backbone and the head trained on features
     * @param train training images (those whose features were extracted)
     * @param validation validation images, scored after every epoch
     * @param test test images, never read by training
     * @param checkpointDir where to checkpoint and resume; null for none
     */
    public Outcome run(Backbone net, Graph classifier, Weights start, List<Sample> train, List<Sample> validation,
                       List<Sample> test, Path checkpointDir, Consumer<EpochStats> onEpoch) {
        BlockBoundaries.Cut cut = BlockBoundaries.cut(net.graph(), tuning.unfreeze());
        log.printf("fine-tuning %s: top %d blocks %s train (%d of %d nodes), cut at %s %s%n", net.graph().name(),
                tuning.unfreeze(), cut.trainablePrefixes(), cut.nodesAbove(), cut.nodesTotal(), cut.value(),
                java.util.Arrays.toString(cut.shape()));
        long begin = System.nanoTime();
        Graph lower = GraphBuilder.extend(net.graph(), net.graph().name() + "_to_" + cut.key())
                .output(Graph.Outputs.FEATURES, cut.value()).build();
        byte[] onnx = OnnxWriter.write(lower, net.weights(), List.of(Graph.Outputs.FEATURES));
        try (OrtRunner ort = new OrtRunner(onnx, threads)) {
            FeatureExtractor extractor = new FeatureExtractor(ort, net.set().preprocessing(),
                    new FeatureCache(cacheRoot, cacheKey + "-cut-" + cut.key(), cut.width()), hashes,
                    BatchLoader.Options.defaults().withThreads(threads).withProgress(progress));
            GraphTrainer.CutData validationCut = activations(extractor.extract(validation), validation);
            GraphTrainer.CutData testCut = activations(extractor.extract(test), test);
            IntFunction<GraphTrainer.CutData> trainOfEpoch;
            if (views.active()) {
                // Compute (or find) every view once now; each epoch then reads only its own view from the cache.
                int computed = 0;
                for (int v = 0; v < views.count(); v++) {
                    computed += extractor.extract(train, views, v).computed();
                }
                log.printf("augmentation %s: %d view activations computed, %d from the cache%n", views, computed,
                        views.count() * train.size() - computed);
                trainOfEpoch = epoch -> activations(extractor.extract(train, views, views.viewOfEpoch(epoch)), train);
            } else {
                GraphTrainer.CutData trainCut = activations(extractor.extract(train), train);
                trainOfEpoch = epoch -> trainCut;
            }
            log.printf("activations at the cut ready in %.1fs (%d floats per image)%n",
                    (System.nanoTime() - begin) / 1e9, cut.width());
            Checkpoint checkpoint = checkpointDir == null ? null : new Checkpoint(checkpointDir);
            GraphTrainer.Result result = new GraphTrainer(config, GraphTrainer.Stage.fineTune(tuning,
                    validationCut.size() > 0)).fit(classifier, start, cut, trainOfEpoch, validationCut, checkpoint,
                    fingerprint(net), onEpoch);
            return new Outcome(result, cut, validationCut, testCut);
        }
    }

    private String fingerprint(Backbone net) {
        return net.set().id() + "|" + net.sha256() + "|" + config + "|" + tuning
                + (views.active() ? "|" + views + "|" + views.cacheSuffix(0) : "");
    }

    private static GraphTrainer.CutData activations(FeatureExtractor.Result r, List<Sample> samples) {
        return GraphTrainer.CutData.of(r.labelled(samples));
    }
}
