package org.transfer4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.data.Sample;
import org.transfer4j.exec.Precision;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.model.RunRecord;
import org.transfer4j.model.Versions;
import org.transfer4j.train.AugmentedViews;
import org.transfer4j.train.FineTuneConfig;
import org.transfer4j.train.TrainConfig;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.weights.Backbone;

/**
 * Writes a run's {@link Manifest}: every setting that changes the result, the three splits, the
 * dataset's fingerprint, the run record, and provenance read at run time.
 */
final class RunManifest {

    private final Path dataset;
    private final TrainConfig config;
    private final FineTuneConfig fineTune;
    private final AugmentedViews views;
    private final long maxPixels;
    private final double testFraction;
    private final double validationFraction;
    private final ContentHashes hashes;
    private final String device;

    RunManifest(Path dataset, TrainConfig config, FineTuneConfig fineTune, AugmentedViews views, long maxPixels,
                double testFraction, double validationFraction, ContentHashes hashes, String device) {
        this.device = device;
        this.dataset = dataset;
        this.config = config;
        this.fineTune = fineTune;
        this.views = views;
        this.maxPixels = maxPixels;
        this.testFraction = testFraction;
        this.validationFraction = validationFraction;
        this.hashes = hashes;
    }

    /** The manifest before the run is recorded (enough to load the exported model and score with it). */
    Manifest preliminary(DatasetFeatures data, TrainedHead head) {
        return manifest(data, head, null, null);
    }

    /** The complete manifest. */
    Manifest complete(DatasetFeatures data, TrainedHead head, RunRecord run, Map<String, byte[]> files) {
        Manifest.Provenance provenance = new Manifest.Provenance(Versions.transfer4j(), Versions.djl(),
                Versions.libtorch(), Versions.onnxRuntime(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors() + " cores, " + Runtime.getRuntime().maxMemory() / (1 << 20)
                        + " MiB Java heap", Instant.now().toString(),
                Transfer.sha256(files.get(ModelBundle.ONNX)), Transfer.sha256(files.get(ModelBundle.HEAD)), device);
        return manifest(data, head, run, provenance);
    }

    private Manifest manifest(DatasetFeatures data, TrainedHead head, RunRecord run, Manifest.Provenance provenance) {
        Backbone net = data.backbone();
        Preprocessing p = net.set().preprocessing();
        ImageFolder folder = data.folder();
        Manifest.FineTuneInfo tuning = fineTune == null ? null : new Manifest.FineTuneInfo(fineTune.unfreeze(),
                fineTune.epochs(), fineTune.learningRate(), fineTune.backboneLrMult(), fineTune.freezeBn(),
                fineTune.patience());
        Manifest.AugmentationInfo augmentation = views.active() ? new Manifest.AugmentationInfo(
                views.augmentation().name(), views.count(), views.seed(), views.augmentation()) : null;
        Manifest.SplitInfo split = new Manifest.SplitInfo(folder.description(), testFraction, validationFraction,
                folder.trainPaths(), folder.validationPaths(), folder.testPaths());
        return new Manifest(Manifest.FORMAT_VERSION, folder.classNames(),
                new Manifest.BackboneInfo(net.set().backbone(), net.set().id(), net.set().architecture(),
                        net.file().getFileName().toString(), net.sha256(), net.featureWidth(),
                        data.calibration() == null ? Precision.FP32.id() : Precision.INT8.id(),
                        data.calibration() == null ? null : data.calibration() + ", id " + data.calibration().id(),
                        adapted(net)),
                new Manifest.PreprocessingInfo(p.resize(), p.crop(), p.squash(), p.mean(), p.std()),
                new Manifest.HeadInfo(head.spec().text(), head.spec().dropout(), head.inputWidth(), head.numClasses()),
                new Manifest.TrainingInfo(fineTune == null ? "frozen" : "finetune", config.epochs(), config.batchSize(),
                        config.learningRate(), config.optimizer(), config.weightDecay(), config.seed(),
                        config.schedule().kind(), config.schedule().warmup(), config.classWeights(),
                        config.labelSmoothing(), tuning, augmentation, maxPixels,
                        dataset.toAbsolutePath().normalize().toString(), run == null ? null : fingerprint(data), split),
                run, provenance);
    }

    private static Manifest.AdaptedBatchNorm adapted(Backbone net) {
        Backbone.Adaptation a = net.adaptation();
        return a == null ? null : new Manifest.AdaptedBatchNorm(a.images(), a.batchSize(), a.seed(), a.statistics());
    }

    /** SHA-256 over the sorted (relative path, content hash) lines of every image the run used. */
    private String fingerprint(DatasetFeatures data) {
        List<String> lines = new ArrayList<>();
        ImageFolder folder = data.folder();
        try {
            for (List<Sample> split : List.of(data.trainImages(), data.validationImages(), data.testImages())) {
                for (Sample s : split) {
                    lines.add(folder.relativePath(s) + "\t" + hashes.hash(s.file()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash an image for the dataset fingerprint: " + e.getMessage(), e);
        }
        lines.sort(null);
        return Transfer.sha256(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }
}
