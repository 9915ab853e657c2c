package org.transfer4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.Augmentation;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.DecodeOptions;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.data.Sample;
import org.transfer4j.data.SkippedFile;
import org.transfer4j.doctor.DataDoctor;
import org.transfer4j.doctor.DoctorOptions;
import org.transfer4j.doctor.Finding;
import org.transfer4j.eval.Evaluation;
import org.transfer4j.exec.DjlEngine;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.report.GradCam;
import org.transfer4j.report.ReportWriter;
import org.transfer4j.report.ScoredImage;
import org.transfer4j.report.TestScoring;
import org.transfer4j.train.AugmentedViews;
import org.transfer4j.train.EpochStats;
import org.transfer4j.train.FeatureCache;
import org.transfer4j.train.FeatureExtractor;
import org.transfer4j.train.FineTuneConfig;
import org.transfer4j.train.FineTuner;
import org.transfer4j.train.StagedFineTuning;
import org.transfer4j.train.HeadSpec;
import org.transfer4j.train.HeadTrainer;
import org.transfer4j.train.LabelledFeatures;
import org.transfer4j.train.TrainConfig;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.BackboneLoader;
import org.transfer4j.weights.SafetensorsWriter;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.WeightStore;
import org.transfer4j.weights.Weights;

/**
 * The front door: train an image classifier from a folder of labelled images in one statement.
 *
 * <pre>{@code
 * ImageClassifier model = Transfer.from(Path.of("cats_dogs"))
 *         .backbone("mobilenet_v2").frozen().head(500).epochs(10).train();
 * }</pre>
 *
 * <p>Longhand, the same is: {@link ImageFolder#scan} the folder; {@link BackboneLoader#load} the
 * backbone; {@link FeatureExtractor#extract} features through a {@link FeatureCache}; fit a head with
 * {@link HeadTrainer}; put it {@link TrainedHead#onTopOf} the backbone and export it with
 * {@link OnnxWriter}.
 */
public final class Transfer {

    private final Path dataset;
    /** Every step that keys by image content (data check, caches) shares these: each file is hashed once. */
    private final ContentHashes hashes = new ContentHashes();
    private String backbone = "mobilenet_v2";
    private Path weightsFile;
    private Path weightsDir;
    private TrainConfig config = TrainConfig.frozen();
    private double valFraction = 0.2;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Path cacheRoot = WeightStore.home().resolve("features");
    private PrintStream log = System.err;
    private boolean progress = true;
    private Consumer<EpochStats> onEpoch = e -> { };
    private double featureSeconds = Double.NaN;
    private long maxPixels = DecodeOptions.DEFAULT_MAX_PIXELS;
    private List<Finding> dataWarnings = List.of();
    private FineTuneConfig fineTune;
    private Path checkpointDir;
    private Augmentation augmentation = Augmentation.NONE;
    private int augViews;

    private Transfer(Path dataset) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
    }

    /** Starts a run on an image folder (one sub-folder per class, or train/ and val/ folders). */
    public static Transfer from(Path dataset) {
        return new Transfer(dataset);
    }

    /** The pretrained backbone by name (see {@code transfer4j backbones}); default mobilenet_v2. */
    public Transfer backbone(String name) {
        this.backbone = name;
        return this;
    }

    /** An explicit weights file instead of the official one. */
    public Transfer weights(Path file) {
        this.weightsFile = file;
        return this;
    }

    /** A folder holding official weight files (like {@code TRANSFER4J_WEIGHTS}). */
    public Transfer weightsDir(Path dir) {
        this.weightsDir = dir;
        return this;
    }

    /** Feature extraction: the backbone stays frozen and only a new head trains (the default). */
    public Transfer frozen() {
        return this;
    }

    /**
     * Staged fine-tuning: after the head trains on cached features, the top blocks of the backbone train
     * with it ({@link FineTuner}).
     */
    public Transfer fineTune(FineTuneConfig tuning) {
        this.fineTune = Objects.requireNonNull(tuning);
        return this;
    }

    /**
     * Where fine-tuning saves a checkpoint after every epoch; a run that finds one there resumes from
     * it (with the same settings).
     */
    public Transfer checkpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /**
     * Augments the training images (never the test images) with a preset, {@code views} views per image,
     * each computed once by the backbone and cached: frozen, the head's epoch e trains on view
     * {@code (e - 1) mod views} of every image; fine-tuning, the head trains on the plain images and
     * fine-tuning's epoch e on view {@code (e - 1) mod views}, from cached cut activations.
     *
     * @param views views per training image; 0 for one per epoch of the augmented stage
     * @throws IllegalArgumentException when views is negative, or positive without augmentation
     */
    public Transfer augment(Augmentation preset, int views) {
        if (views < 0) {
            throw new IllegalArgumentException("--aug-views must be 0 (one per epoch) or more, got " + views);
        }
        if (preset.isNone() && views > 0) {
            throw new IllegalArgumentException("--aug-views " + views + " needs --augment light, standard or strong");
        }
        this.augmentation = Objects.requireNonNull(preset, "preset");
        this.augViews = views;
        return this;
    }

    /** {@link #augment(Augmentation, int)} with one fresh view per epoch of the augmented stage. */
    public Transfer augment(Augmentation preset) {
        return augment(preset, 0);
    }

    /** The augmentation a run will use (resolves the default number of views). */
    AugmentedViews augmentedViews() {
        if (augmentation.isNone()) {
            return AugmentedViews.none();
        }
        int count = augViews > 0 ? augViews : fineTune != null ? fineTune.epochs() : config.epochs();
        return new AugmentedViews(augmentation, count, config.seed());
    }

    /** Hidden layer widths of the head; none for a single linear layer. */
    public Transfer head(int... hidden) {
        List<Integer> widths = new ArrayList<>();
        for (int h : hidden) {
            widths.add(h);
        }
        return config(config.withHead(new HeadSpec(widths, config.head().dropout())));
    }

    public Transfer epochs(int epochs) {
        return config(config.withEpochs(epochs));
    }

    public Transfer seed(long seed) {
        return config(config.withSeed(seed));
    }

    /** All hyper-parameters at once. */
    public Transfer config(TrainConfig newConfig) {
        this.config = Objects.requireNonNull(newConfig);
        return this;
    }

    /** Share of each class held out for testing when the folder has no val/test folder (default 0.2). */
    public Transfer testSplit(double fraction) {
        this.valFraction = fraction;
        return this;
    }

    /**
     * Share of each class of the training images carved out as the validation split, which makes every
     * choice (default 0.1; 0 when nothing is chosen).
     */
    public Transfer valSplit(double fraction) {
        this.valFraction = fraction;
        return this;
    }

    /** Threads for decoding and inference. */
    public Transfer threads(int n) {
        this.threads = n;
        return this;
    }

    /** Where backbone features are cached (default {@code ~/.cache/transfer4j/features}). */
    public Transfer cacheDir(Path dir) {
        this.cacheRoot = dir;
        return this;
    }

    /** Where progress and notes go (default stderr). */
    public Transfer log(PrintStream stream) {
        this.log = stream;
        return this;
    }

    /** Whether to show a progress bar on stderr while features are extracted (default on). */
    public Transfer progress(boolean show) {
        this.progress = show;
        return this;
    }

    /** Largest width × height of an image, checked before decoding (decompression bombs); larger ones are skipped. */
    public Transfer maxPixels(long pixels) {
        this.maxPixels = pixels;
        return this;
    }

    /** Called after every epoch. */
    public Transfer onEpoch(Consumer<EpochStats> listener) {
        this.onEpoch = listener;
        return this;
    }

    /** Runs the whole recipe and returns the trained classifier (not yet saved). */
    public ImageClassifier train() {
        DatasetFeatures data = features();
        Backbone net = data.backbone();
        TrainedHead head = new HeadTrainer(config).fit(data::trainOfEpoch, data.test(), data.numClasses(), onEpoch);
        if (fineTune != null) {
            StagedFineTuning staged = new StagedFineTuning(config, fineTune, augmentedViews(), hashes, cacheRoot,
                    cacheKey(net), threads, progress, log);
            FineTuner.Result tuned = staged.run(net, head, data.trainImages(), data.testImages(), checkpointDir, onEpoch);
            net = staged.tunedBackbone(net, tuned);
            head = staged.tunedHead(head, tuned);
        }
        return assemble(data.folder(), net, head, data.test(), data.testImages());
    }

    /**
     * The first half of {@link #train()}: scans and splits the folder, runs the quick data checks, loads
     * the backbone and extracts the features of both splits through the feature cache. Tools that work
     * on features ({@code lr-find}) start here.
     */
    public DatasetFeatures features() {
        DjlEngine.startInBackground(); // the head trains on libtorch next: load it while the data is read
        ImageFolder folder = ImageFolder.scan(dataset, valFraction, config.seed());
        log.printf("dataset %s: %d classes, %d train, %d test images (%s)%n", dataset, folder.classNames().size(),
                folder.train().size(), folder.test().size(), folder.description());
        for (SkippedFile s : folder.skipped()) {
            log.printf("skipped %s: %s%n", s.file(), s.reason());
        }
        dataWarnings = DataDoctor.quickCheck(folder, DoctorOptions.defaults(), hashes);
        DataDoctor.printWarnings(log, dataWarnings);
        Backbone net = BackboneLoader.load(backbone, weightsFile, WeightStore.fromEnvironment(weightsDir));
        log.printf("backbone %s (%s), %d features%n", net.set().id(), net.file().getFileName(), net.featureWidth());
        Preprocessing pre = net.set().preprocessing();
        FeatureCache cache = new FeatureCache(cacheRoot, cacheKey(net), net.featureWidth());
        AugmentedViews views = augmentedViews();
        if (views.active()) {
            log.printf("augmentation: %s%n", views);
        }
        LabelledFeatures train;
        List<LabelledFeatures> trainViews = List.of();
        LabelledFeatures test;
        List<Sample> trainKept = new ArrayList<>();
        List<Sample> testKept;
        Backbone frozen = net;
        try (OrtRunner ort = OrtRunner.lazy(
                () -> OnnxWriter.write(frozen.graph(), frozen.weights(), List.of(Graph.Outputs.FEATURES)), threads)) {
            FeatureExtractor extractor = new FeatureExtractor(ort, pre, cache, hashes,
                    BatchLoader.Options.defaults().withThreads(threads).withProgress(progress).withMaxPixels(maxPixels));
            long start = System.nanoTime();
            if (views.active() && fineTune == null) {
                List<LabelledFeatures> viewFeatures = new ArrayList<>();
                for (int v = 0; v < views.count(); v++) {
                    viewFeatures.add(extract(extractor.extract(folder.train(), views, v), folder.train(),
                            "train view " + v + " (" + views.augmentation() + ")", v == 0 ? trainKept : new ArrayList<>()));
                }
                train = viewFeatures.get(0);
                trainViews = viewFeatures;
            } else {
                train = extract(extractor.extract(folder.train()), folder.train(), "train", trainKept);
            }
            testKept = new ArrayList<>();
            test = extract(extractor.extract(folder.test()), folder.test(), "test", testKept);
            featureSeconds = (System.nanoTime() - start) / 1e9;
            log.printf("features ready in %.1fs%n", featureSeconds);
        }
        return new DatasetFeatures(folder, net, train, test, trainKept, testKept, trainViews);
    }

    private LabelledFeatures extract(FeatureExtractor.Result r, List<Sample> samples, String split,
                                     List<Sample> kept) {
        if (r.computed() == 0) {
            log.printf("%s: all %d features from the cache, no backbone pass%n", split, r.fromCache());
        } else {
            log.printf("%s: %d features from the cache, %d computed by the backbone%n", split, r.fromCache(), r.computed());
        }
        for (SkippedFile s : r.skipped()) {
            log.printf("skipped %s: %s%n", s.file(), s.reason());
        }
        kept.addAll(r.kept(samples));
        return r.labelled(samples);
    }

    private ImageClassifier assemble(ImageFolder folder, Backbone net, TrainedHead head, LabelledFeatures test,
                                     List<Sample> testKept) {
        Graph classifier = head.onTopOf(net.graph());
        Map<String, Tensor> all = new LinkedHashMap<>(net.weights().asMap());
        all.putAll(head.weights());
        boolean mapped = classifier.outputs().containsKey(Graph.Outputs.FEATURE_MAP);
        byte[] onnx = OnnxWriter.write(classifier, new Weights(all), mapped
                ? List.of(TrainedHead.PROBABILITIES, Graph.Outputs.FEATURE_MAP) : List.of(TrainedHead.PROBABILITIES));
        Evaluation evaluation = Evaluation.of(folder.classNames(), test.labels(), head.testProbabilities());

        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(ModelBundle.ONNX, onnx);
        files.put(ModelBundle.HEAD, safetensors(head.weights()));
        Manifest manifest = manifest(folder, net, head, evaluation);
        // the last evaluation of training (the best state, after fine-tuning) scored every test image
        List<ScoredImage> scored = TestScoring.fromProbabilities(testKept, head.testProbabilities());
        ReportWriter report = new ReportWriter(manifest, scored,
                "the test split of " + dataset.toAbsolutePath().normalize().getFileName()).log(log);
        if (mapped) {
            try (GradCam cam = new GradCam(onnx, head)) {
                files.putAll(report.gradCam(cam).files());
            }
        } else {
            files.putAll(report.withoutGradCam("Grad-CAM needs features made by a global average pool; those of "
                    + net.set().backbone() + " are not.").files());
        }
        return new ImageClassifier(manifest, files);
    }

    private Manifest manifest(ImageFolder folder, Backbone net, TrainedHead head, Evaluation evaluation) {
        Preprocessing p = net.set().preprocessing();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", evaluation.accuracy());
        metrics.put("balancedAccuracy", evaluation.balancedAccuracy());
        metrics.put("majorityBaseline", evaluation.majorityBaseline());
        metrics.put("testImages", evaluation.total());
        metrics.put("history", head.history());
        metrics.put("featureSeconds", featureSeconds);
        metrics.put("dataWarnings", dataWarnings);
        if (fineTune != null) {
            metrics.put("fineTune", fineTune);
        }
        AugmentedViews views = augmentedViews();
        if (views.active()) {
            Map<String, Object> augmentationInfo = new LinkedHashMap<>();
            augmentationInfo.put("preset", views.augmentation().name());
            augmentationInfo.put("views", views.count());
            augmentationInfo.put("seed", views.seed());
            augmentationInfo.put("parameters", views.augmentation());
            metrics.put("augmentation", augmentationInfo);
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("transfer4j", "0.1.0");
        provenance.put("java", System.getProperty("java.version"));
        provenance.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        provenance.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB Java heap");
        provenance.put("djl", "0.36.0");
        provenance.put("onnxruntime", ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion());
        provenance.put("created", java.time.Instant.now().toString());
        return new Manifest(Manifest.FORMAT_VERSION, folder.classNames(),
                new Manifest.BackboneInfo(net.set().backbone(), net.set().id(), net.set().architecture(),
                        net.file().getFileName().toString(), net.sha256(), net.featureWidth()),
                new Manifest.PreprocessingInfo(p.resize(), p.crop(), p.squash(), p.mean(), p.std()),
                new Manifest.HeadInfo(head.spec().text(), head.spec().dropout(), head.inputWidth(), head.numClasses()),
                new Manifest.TrainingInfo(fineTune == null ? "frozen" : "finetune", config.epochs(), config.batchSize(), config.learningRate(),
                        config.optimizer(), config.weightDecay(), config.seed(), dataset.toAbsolutePath().normalize().toString(),
                        new Manifest.SplitInfo(folder.description(), valFraction, folder.trainPaths(), folder.testPaths())),
                metrics, provenance);
    }

    /** Cache folder name: backbone weights, architecture and preprocessing, hashed. */
    static String cacheKey(Backbone net) {
        Preprocessing p = net.set().preprocessing();
        String key = net.set().architecture() + "|" + net.sha256() + "|" + p.resize() + "|" + p.crop() + "|"
                + p.squash() + "|" + java.util.Arrays.toString(p.mean()) + "|" + java.util.Arrays.toString(p.std()) + "|pipeline-1";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return net.set().backbone() + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] safetensors(Map<String, Tensor> tensors) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SafetensorsWriter.write(tensors, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
