package org.transfer4j.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * The fine-tuning half of the staged recipe, given the backbone and the head trained on cached
 * features: finds the {@link BlockBoundaries.Cut cut}, computes the frozen part's activations there
 * once on ONNX Runtime (cached on disk like features, keyed by backbone and cut), then runs the
 * {@link FineTuner} over the unfrozen blocks only.
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
     * @param cacheKey the backbone's feature-cache key; cut activations go next to its features
     */
    /**
     * @param views augmented views of the training images: epoch e of fine-tuning trains on the cut
     *     activations of view {@link AugmentedViews#viewOfEpoch(int) (e - 1) mod count}, each computed
     *     once and cached like features; the test images are never augmented
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
     * Fine-tunes the top blocks and the head.
     *
     * @param train training images (those whose features were extracted)
     * @param test held-out images, evaluated after each epoch (early stopping watches their loss)
     * @param checkpointDir where to checkpoint and resume; null for none
     */
    public FineTuner.Result run(Backbone net, TrainedHead head, List<Sample> train, List<Sample> test,
                                Path checkpointDir, Consumer<EpochStats> onEpoch) {
        BlockBoundaries.Cut cut = BlockBoundaries.cut(net.graph(), tuning.unfreeze());
        log.printf("fine-tuning %s: top %d blocks %s train (%d of %d nodes), cut at %s %s%n", net.graph().name(),
                tuning.unfreeze(), cut.trainablePrefixes(), cut.nodesAbove(), cut.nodesTotal(), cut.value(),
                java.util.Arrays.toString(cut.shape()));
        long start = System.nanoTime();
        Graph lower = GraphBuilder.extend(net.graph(), net.graph().name() + "_to_" + cut.key())
                .output(Graph.Outputs.FEATURES, cut.value()).build();
        byte[] onnx = OnnxWriter.write(lower, net.weights(), List.of(Graph.Outputs.FEATURES));
        try (OrtRunner ort = new OrtRunner(onnx, threads)) {
            FeatureExtractor extractor = new FeatureExtractor(ort, net.set().preprocessing(),
                    new FeatureCache(cacheRoot, cacheKey + "-cut-" + cut.key(), cut.width()), hashes,
                    BatchLoader.Options.defaults().withThreads(threads).withProgress(progress));
            FineTuner.CutData testCut = activations(extractor.extract(test), test);
            IntFunction<FineTuner.CutData> trainOfEpoch;
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
                FineTuner.CutData trainCut = activations(extractor.extract(train), train);
                trainOfEpoch = epoch -> trainCut;
            }
            log.printf("activations at the cut ready in %.1fs (%d floats per image)%n",
                    (System.nanoTime() - start) / 1e9, cut.width());
            Graph classifier = head.onTopOf(net.graph());
            Map<String, Tensor> initial = new LinkedHashMap<>(net.weights().asMap());
            initial.putAll(head.weights());
            Checkpoint checkpoint = checkpointDir == null ? null : new Checkpoint(checkpointDir);
            return new FineTuner(config, tuning).fit(classifier, new Weights(initial), cut, trainOfEpoch, testCut,
                    head.numClasses(), checkpoint, fingerprint(net), onEpoch);
        }
    }

    /** The backbone with the fine-tuned weights (the head's left out). */
    public Backbone tunedBackbone(Backbone net, FineTuner.Result tuned) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (String name : net.graph().parameters().keySet()) {
            weights.put(name, tuned.weights().get(name));
        }
        return new Backbone(net.set(), net.file(), net.sha256(), net.graph(), new Weights(weights));
    }

    /** The head with its fine-tuned weights; history = head epochs then fine-tuning epochs, numbered on. */
    public TrainedHead tunedHead(TrainedHead head, FineTuner.Result tuned) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        head.weights().keySet().forEach(n -> weights.put(n, tuned.weights().get(n)));
        List<EpochStats> history = new ArrayList<>(head.history());
        int offset = head.history().size();
        int total = offset + tuning.epochs();
        for (EpochStats e : tuned.history()) {
            history.add(new EpochStats(offset + e.epoch(), total, e.trainLoss(), e.testLoss(), e.accuracy(),
                    e.seconds()));
        }
        return new TrainedHead(head.spec(), head.inputWidth(), head.numClasses(), weights, history,
                tuned.testProbabilities());
    }

    private String fingerprint(Backbone net) {
        return net.set().id() + "|" + net.sha256() + "|" + config + "|" + tuning
                + (views.active() ? "|" + views + "|" + views.cacheSuffix(0) : "");
    }

    private static FineTuner.CutData activations(FeatureExtractor.Result r, List<Sample> samples) {
        LabelledFeatures kept = r.labelled(samples);
        return new FineTuner.CutData(kept.features(), kept.labels());
    }
}
