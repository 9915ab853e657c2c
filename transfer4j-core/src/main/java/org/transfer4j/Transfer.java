package org.transfer4j;

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
import org.transfer4j.data.ImageTree;
import org.transfer4j.data.Sample;
import org.transfer4j.data.SkippedFile;
import org.transfer4j.doctor.DataDoctor;
import org.transfer4j.doctor.DoctorOptions;
import org.transfer4j.doctor.Finding;
import org.transfer4j.eval.Evaluation;
import org.transfer4j.exec.Calibration;
import org.transfer4j.exec.DjlEngine;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.exec.Precision;
import org.transfer4j.model.ExportCheck;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.RunRecord;
import org.transfer4j.report.ScoredImage;
import org.transfer4j.report.TestScoring;
import org.transfer4j.select.TransferCheck;
import org.transfer4j.semi.SemiMethod;
import org.transfer4j.semi.UnlabeledDataException;
import org.transfer4j.semi.UnlabeledImages;
import org.transfer4j.train.AdaptationStore;
import org.transfer4j.train.AugmentedViews;
import org.transfer4j.train.BlockBoundaries;
import org.transfer4j.train.CalibrationStore;
import org.transfer4j.train.EpochStats;
import org.transfer4j.train.ExtractionRecord;
import org.transfer4j.train.FeatureCache;
import org.transfer4j.train.FeatureExtractor;
import org.transfer4j.train.FineTuneConfig;
import org.transfer4j.train.GraphTrainer;
import org.transfer4j.train.LabelledFeatures;
import org.transfer4j.train.TrainConfig;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.BackboneLoader;
import org.transfer4j.weights.SafetensorsWriter;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.WeightRegistry;
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
 * <p>{@link #fit()} composes public parts, and reads as the recipe: scan the folder into train,
 * validation and test ({@link ImageFolder#scan}); check it ({@link DataDoctor#quickCheck}); load the
 * backbone ({@link BackboneLoader#load}); extract features once through a {@link FeatureCache}; train
 * the head, then optionally the top blocks, with the one {@link GraphTrainer} (every choice on the
 * validation split); export to ONNX; score the test split once with the exported model and check it
 * against the trained one ({@link ExportCheck}); record it all ({@link RunRecord}, {@link RunManifest}).
 * Rendering the report is not part of training: {@code report.TrainingReport} does it from the outcome.
 *
 * <p>Builder convention, throughout the API: a builder method sets one setting and returns the same
 * builder; nothing runs until a verb ({@link #features()}, {@link #fit()}, {@link #train()}); settings
 * that need checking are checked when set, with the option's name in the message.
 */
public final class Transfer {

    /** Share of each class held out as the test split when the folder has no val/test folder. */
    public static final double DEFAULT_TEST_SPLIT = ImageFolder.DEFAULT_TEST_FRACTION;
    /** Share of each class's training images carved out as the validation split. */
    public static final double DEFAULT_VAL_SPLIT = ImageFolder.DEFAULT_VALIDATION_FRACTION;
    /** The default backbone. */
    public static final String DEFAULT_BACKBONE = "mobilenet_v2";

    /**
     * What {@link #fit()} produced.
     *
     * @param model the trained classifier (not yet saved), its manifest holding the run record
     * @param scoredTest every test image with the exported model's probabilities: the one final
     *     scoring, which the report shows; empty without a test split
     * @param evaluatedOn the data {@code scoredTest} comes from, in words
     * @param head the trained head (Grad-CAM differentiates it)
     */
    public record Outcome(ImageClassifier model, List<ScoredImage> scoredTest, String evaluatedOn, TrainedHead head) {

        /**
         * The model with its report files ({@code report.html}, {@code MODEL_CARD.md}, plots), rendered
         * from the run record and the one test scoring; it takes over {@link #model()}'s session.
         */
        public ImageClassifier withReport(PrintStream log) {
            return model.withFiles(org.transfer4j.report.ReportWriter.render(model, head, scoredTest, evaluatedOn, log));
        }
    }

    private final Path dataset;
    /** A feature table (the Spark job's output) to train on instead of the images; null for an image folder. */
    private final Path featureTable;
    /** Every step that keys by image content (data check, caches) shares these: each file is hashed once. */
    private final ContentHashes hashes = new ContentHashes();
    private String backbone = DEFAULT_BACKBONE;
    private Path weightsFile;
    private Path weightsDir;
    private TrainConfig config = TrainConfig.frozen();
    private double testFraction = DEFAULT_TEST_SPLIT;
    private double validationFraction = DEFAULT_VAL_SPLIT;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Path cacheRoot = WeightStore.home().resolve("features");
    private PrintStream log = System.err;
    private boolean progress = true;
    private Consumer<EpochStats> onEpoch = e -> { };
    private long maxPixels = DecodeOptions.DEFAULT_MAX_PIXELS;
    private FineTuneConfig fineTune;
    private Path checkpointDir;
    private Augmentation augmentation = Augmentation.NONE;
    private int augViews;
    private double unknownRate = org.transfer4j.model.OpenSetRule.DEFAULT_RATE;
    private Path unlabeled;
    private SemiMethod semi = SemiMethod.DEFAULT;
    private Precision precision = Precision.FP32;
    private Calibration.Settings calibration = Calibration.Settings.defaults();
    private org.transfer4j.exec.Device device = org.transfer4j.exec.Device.cpu();
    private boolean adaptBatchNorm;
    /** The device the backbone ran on, once {@link #features()} resolved {@link #device}. */
    private org.transfer4j.exec.Device usedDevice;

    private Transfer(Path dataset, Path featureTable) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.featureTable = featureTable;
    }

    /** Starts a run on an image folder (one sub-folder per class, or train/ and val/ folders). */
    public static Transfer from(Path dataset) {
        return new Transfer(dataset, null);
    }

    /**
     * Starts a run on a table of backbone features instead of images: the folder the Spark job
     * ({@code transfer4j-spark}) wrote, Parquet plus {@link ExtractionRecord#FILE}. The three splits are
     * those an image-folder run makes of the same files with the same settings; the head trains on the
     * table's features with no backbone pass, the backbone's weights (found as for an image folder, and
     * checked against the table's cache key) only go into {@code model.onnx}. Frozen only, without
     * augmentation (both need the images).
     */
    public static Transfer fromFeatures(Path table) {
        return new Transfer(table, Objects.requireNonNull(table, "table"));
    }

    /**
     * The pretrained backbone by name (see {@code transfer4j backbones}); default mobilenet_v2.
     *
     * @throws org.transfer4j.weights.WeightsException listing the known names when the name is unknown
     */
    public Transfer backbone(String name) {
        WeightRegistry.setsOf(name);
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
        this.fineTune = null;
        return this;
    }

    /**
     * Staged fine-tuning: after the head trains on cached features, the top blocks of the backbone train
     * with it; the epoch with the lowest validation loss is kept.
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
     * Augments the training images (never the validation or test images) with a preset, {@code views}
     * views per image, each computed once by the backbone and cached: frozen, the head's epoch e trains
     * on view {@code (e - 1) mod views} of every image; fine-tuning, the head trains on the plain images
     * and fine-tuning's epoch e on view {@code (e - 1) mod views}, from cached cut activations.
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
        return config(config.withHead(new org.transfer4j.train.HeadSpec(widths, config.head().dropout())));
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

    /**
     * Share of each class held out as the test split when the folder has no val/test folder (default
     * 0.2); 0 for no test split.
     */
    public Transfer testSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("--test-split must be in [0, 1), got " + fraction);
        }
        this.testFraction = fraction;
        return this;
    }

    /**
     * Share of each class of the training images carved out as the validation split, which makes every
     * choice (default 0.1, at least one image per class); 0 when nothing is chosen.
     */
    public Transfer valSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("--val-split must be in [0, 1), got " + fraction);
        }
        this.validationFraction = fraction;
        return this;
    }

    /** Threads for decoding and inference. */
    public Transfer threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        }
        this.threads = n;
        return this;
    }

    /** Where backbone features are cached (default {@code $TRANSFER4J_HOME/features}). */
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
        if (pixels < 1) {
            throw new IllegalArgumentException("--max-pixels must be positive, got " + pixels);
        }
        this.maxPixels = pixels;
        return this;
    }

    /**
     * Target share of validation images the unknown rule rejects (default 0.05): its threshold is that
     * quantile of the validation images' distances to the nearest class centroid.
     */
    public Transfer unknownRate(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("--unknown-rate must be in [0, 1), got " + rate);
        }
        this.unknownRate = rate;
        return this;
    }

    /**
     * A folder of unlabeled images of the same kind (any depth): their features go through the cache,
     * and {@link #semi(SemiMethod)} says how they help the head train. Images whose content is also
     * labelled are reported and left out. Frozen runs without augmentation only.
     */
    public Transfer unlabeled(Path folder) {
        this.unlabeled = Objects.requireNonNull(folder, "folder");
        return this;
    }

    /** How the unlabeled images take part (default {@link SemiMethod#DEFAULT}); without {@link #unlabeled}, nothing. */
    public Transfer semi(SemiMethod method) {
        this.semi = Objects.requireNonNull(method, "method");
        return this;
    }

    /**
     * The backbone's number format (default fp32). With int8 the backbone runs as an int8 QDQ model on
     * ONNX Runtime, calibrated on a seeded sample of the training images ({@link #calibration}); the
     * head trains on its features and {@code model.onnx} is the same int8 network with the head.
     */
    public Transfer precision(Precision p) {
        this.precision = Objects.requireNonNull(p, "precision");
        return this;
    }

    /** How int8 calibrates (default min-max over 256 training images, seed 42). */
    public Transfer calibration(Calibration.Settings settings) {
        this.calibration = Objects.requireNonNull(settings, "calibration");
        return this;
    }

    /**
     * Where the backbone runs (default the CPU): {@code cuda:N} on ONNX Runtime's CUDA execution provider,
     * {@code auto} a GPU when one can be used, else the CPU (said in the log). The device used is
     * recorded in the manifest. libtorch trains on the same device ({@code cuda} needs DJL's CUDA libtorch).
     *
     * @throws IllegalArgumentException for {@code cuda} where no GPU can be used, naming what is missing
     */
    public Transfer device(org.transfer4j.exec.Device d) {
        this.usedDevice = Objects.requireNonNull(d, "device").resolve(true, log);
        this.device = d;
        return this;
    }

    /**
     * Whether to re-estimate the backbone's batch-norm running statistics on the target images before
     * extracting features (AdaBN; default off): a seeded sample of at most
     * {@value AdaptationStore#DEFAULT_IMAGES} of the training, validation and unlabeled images (never the
     * test split), in batches of at most {@value AdaptationStore#DEFAULT_BATCH}. The adapted weights go
     * into the features (cached apart from the plain weights'), the training and {@code model.onnx}.
     * Weight sets without batch-norm statistics (TensorFlow Lite files, folded ones, VGG-16) fail with
     * {@link org.transfer4j.exec.BatchNormAdaptation.NotApplicableException} when the backbone loads.
     */
    public Transfer adaptBatchNorm(boolean adapt) {
        this.adaptBatchNorm = adapt;
        return this;
    }

    /** Called after every epoch. */
    public Transfer onEpoch(Consumer<EpochStats> listener) {
        this.onEpoch = listener;
        return this;
    }

    /** Runs the whole recipe and returns the trained classifier (not yet saved, without the report). */
    public ImageClassifier train() {
        return fit().model();
    }

    /**
     * Runs the whole recipe: {@link #train()} with the test scoring the report is made of. Reads as
     * the recipe: features of the three splits, then training (every choice on the validation split),
     * then the bundle (export, the one scoring of the test split, the export check, the manifest).
     */
    public Outcome fit() {
        usedDevice(); // checked before any data is read; libtorch trains there
        if (unlabeled != null && (fineTune != null || !augmentation.isNone())) {
            throw new IllegalArgumentException("--unlabeled trains the head on frozen features: it needs --mode frozen "
                    + "and --augment none");
        }
        DatasetFeatures data = features();
        TrainingStages.Trained trained = new TrainingStages(config, fineTune, augmentedViews(), hashes, cacheRoot,
                cacheKey(data.backbone()), threads, progress, log).semi(semi).run(data, checkpointDir, onEpoch);
        return assemble(data, trained);
    }

    /**
     * The first half of {@link #fit()}: scans the folder into its three splits, runs the quick data
     * checks, loads the backbone and extracts the features of every split through the feature cache.
     * Tools that work on features ({@code lr-find}) start here.
     */
    public DatasetFeatures features() {
        DjlEngine.startInBackground(); // the head trains on libtorch next: load it while the data is read
        if (featureTable != null) {
            if (unlabeled != null || precision != Precision.FP32 || adaptBatchNorm) {
                throw new IllegalArgumentException("--features trains on the table's fp32 features as they are: leave out "
                        + (unlabeled != null ? "--unlabeled" : adaptBatchNorm ? "--adapt-bn" : "--precision int8"));
            }
            return new TableFeatures(featureTable, hashes, log).read(loadBackbone(), testFraction, validationFraction,
                    config.seed(), fineTune != null || augmentedViews().active());
        }
        ImageFolder folder = ImageFolder.scan(dataset, testFraction, validationFraction, config.seed());
        log.printf("dataset %s: %d classes, %d train, %d validation, %d test images (%s)%n", dataset,
                folder.classNames().size(), folder.train().size(), folder.validation().size(), folder.test().size(),
                folder.description());
        for (SkippedFile s : folder.skipped()) {
            log.printf("skipped %s: %s%n", s.file(), s.reason());
        }
        // the doctor looks at the training folder (train + validation) against the test split
        ImageFolder checked = new ImageFolder(folder.root(), folder.classNames(), folder.trainAndValidation(),
                folder.test(), folder.skipped(), folder.description());
        List<Finding> warnings = DataDoctor.quickCheck(checked, DoctorOptions.defaults(), hashes);
        DataDoctor.printWarnings(log, warnings);
        Backbone loaded = loadBackbone();
        BatchLoader.Options loading = BatchLoader.Options.defaults().withThreads(threads).withProgress(progress)
                .withMaxPixels(maxPixels);
        UnlabeledScan unlabeledScan = unlabeled == null ? null : scanUnlabeled(folder);
        Backbone net = adaptBatchNorm ? adapt(loaded, folder, unlabeledScan, loading) : loaded;
        Calibration int8 = null;
        if (precision == Precision.INT8) {
            if (fineTune != null) {
                throw new IllegalArgumentException("--precision int8 is for frozen backbones; fine-tuning trains in "
                        + "fp32: leave out --precision int8 or --fine-tune");
            }
            int8 = new CalibrationStore(cacheRoot.resolve(cacheKey(net)), hashes, loading, threads, log)
                    .calibrate(net, folder.train(), calibration);
        }
        Calibration calibrated = int8;
        FeatureCache cache = new FeatureCache(cacheRoot, cacheKey(net, calibrated), net.featureWidth());
        AugmentedViews views = augmentedViews();
        if (views.active()) {
            log.printf("augmentation: %s%n", views);
        }
        long start = System.nanoTime();
        List<Sample> trainKept = new ArrayList<>();
        List<Sample> validationKept = new ArrayList<>();
        List<Sample> testKept = new ArrayList<>();
        LabelledFeatures train;
        List<LabelledFeatures> trainViews = List.of();
        LabelledFeatures validation;
        LabelledFeatures test;
        UnlabeledImages extra;
        List<Sample> checkImages;
        float[][] checkFeatures;
        // the backbone's session lives for the backbone pass only: its native memory is given back before
        // the transfer check, the head's training on libtorch and the test scoring by model.onnx
        try (OrtRunner ort = OrtRunner.lazy(() -> backboneModel(net, List.of(Graph.Outputs.FEATURES), calibrated),
                threads, usedDevice())) {
            FeatureExtractor extractor = new FeatureExtractor(ort, net.set().preprocessing(), cache, hashes, loading);
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
            validation = extract(extractor.extract(folder.validation()), folder.validation(), "validation",
                    validationKept);
            test = extract(extractor.extract(folder.test()), folder.test(), "test", testKept);
            extra = unlabeledScan == null ? null : unlabeledFeatures(unlabeledScan, extractor);
            if (views.active() && fineTune == null) {
                // the check reads plain features: those of its sample of the training images
                checkImages = new ArrayList<>();
                for (int i : TransferCheck.sample(trainKept.size())) {
                    checkImages.add(trainKept.get(i));
                }
                checkFeatures = extractor.extract(checkImages).rows();
            } else {
                checkImages = trainKept;
                checkFeatures = train.features();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        log.printf("features ready in %.1fs%n", seconds);
        Finding transfer = transferCheck(net, checkImages, checkFeatures, loading);
        log.println("data check: " + transfer.message());
        log.println("    advice: " + transfer.suggestion());
        List<Finding> withTransfer = new ArrayList<>(warnings);
        withTransfer.add(transfer);
        return new DatasetFeatures(folder, net, train, validation, test, trainKept, validationKept, testKept,
                trainViews, withTransfer, seconds, extra, calibrated);
    }

    /** The backbone with batch-norm statistics re-estimated on the training, validation and unlabeled images. */
    private Backbone adapt(Backbone net, ImageFolder folder, UnlabeledScan scan, BatchLoader.Options loading) {
        List<Sample> target = new ArrayList<>(folder.trainAndValidation());
        if (scan != null) {
            target.addAll(scan.fresh());
        }
        Backbone adapted = new AdaptationStore(cacheRoot.resolve(cacheKey(net)), hashes, loading, log)
                .adapt(net, target, config.seed());
        log.printf("adapt-bn: %d images (of %d), statistics %s%n", adapted.adaptation().images(), target.size(),
                adapted.adaptation().statistics().substring(0, 12));
        return adapted;
    }

    /** The unlabeled folder's images whose content is not also labelled, and those left out. */
    private record UnlabeledScan(ImageTree tree, List<Sample> fresh, List<String> excluded) {
    }

    /**
     * Scans the unlabeled folder and leaves out the images whose content is also labelled.
     *
     * @throws UnlabeledDataException when the folder cannot be read, or no image is left
     */
    private UnlabeledScan scanUnlabeled(ImageFolder folder) {
        ImageTree tree;
        try {
            tree = ImageTree.scan(unlabeled);
        } catch (org.transfer4j.data.DatasetException e) {
            throw new UnlabeledDataException("--unlabeled: " + e.getMessage());
        }
        List<Sample> labelled = new ArrayList<>(folder.trainAndValidation());
        labelled.addAll(folder.test());
        List<Sample> candidates = tree.images().stream().map(f -> new Sample(f, 0)).toList();
        hashes.prefetch(labelled);
        hashes.prefetch(candidates);
        java.util.Set<String> labelledContent = new java.util.HashSet<>();
        labelled.forEach(s -> labelledContent.add(hashOrEmpty(s.file())));
        List<Sample> fresh = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (Sample s : candidates) {
            if (labelledContent.contains(hashOrEmpty(s.file()))) {
                excluded.add(ImageTree.relative(tree.root(), s.file()));
            } else {
                fresh.add(s);
            }
        }
        if (!excluded.isEmpty()) {
            log.printf("unlabeled: %d of %d images have the same content as labelled images of %s and are left out, "
                    + "e.g. %s%n", excluded.size(), candidates.size(), dataset, excluded.get(0));
        }
        if (fresh.isEmpty()) {
            throw new UnlabeledDataException("--unlabeled " + unlabeled + ": all " + candidates.size() + " images are "
                    + "also labelled in " + dataset + " (same content); give a folder of images without labels");
        }
        return new UnlabeledScan(tree, fresh, excluded);
    }

    /**
     * Features of the unlabeled folder's images left after {@link #scanUnlabeled}.
     *
     * @throws UnlabeledDataException when no image of it can be read
     */
    private UnlabeledImages unlabeledFeatures(UnlabeledScan scan, FeatureExtractor extractor) {
        ImageTree tree = scan.tree();
        List<Sample> fresh = scan.fresh();
        FeatureExtractor.Result r = extractor.extract(fresh);
        List<Sample> kept = new ArrayList<>();
        float[][] rows = extract(r, fresh, "unlabeled", kept).features();
        int skipped = tree.skipped().size() + r.skipped().size();
        if (rows.length == 0) {
            throw new UnlabeledDataException("--unlabeled " + unlabeled + " holds no readable image: all "
                    + fresh.size() + " image files failed to decode, e.g. " + r.skipped().get(0));
        }
        List<String> lines = new ArrayList<>();
        kept.forEach(s -> lines.add(ImageTree.relative(tree.root(), s.file()) + "\t" + hashOrEmpty(s.file())));
        lines.sort(null);
        String fingerprint = sha256(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        return new UnlabeledImages(tree.root(), kept, rows, scan.excluded(), skipped, fingerprint);
    }

    private String hashOrEmpty(Path file) {
        try {
            return hashes.hash(file);
        } catch (IOException e) {
            return "unreadable:" + file;
        }
    }

    private org.transfer4j.exec.Device usedDevice() {
        if (usedDevice == null) {
            usedDevice = device.resolve(true, log);
        }
        DjlEngine.use(usedDevice);
        return usedDevice;
    }

    /** The backbone of the run: by name, or for a feature table the table's backbone. */
    private Backbone loadBackbone() {
        String name = backbone;
        if (featureTable != null) {
            name = TableFeatures.backboneName(featureTable);
        }
        Backbone net = BackboneLoader.load(name, weightsFile, WeightStore.fromEnvironment(weightsDir));
        log.printf("backbone %s (%s), %d features%n", net.set().id(), net.file().getFileName(), net.featureWidth());
        return net;
    }

    /**
     * The negative-transfer check on the training split ({@link TransferCheck}): the backbone's features
     * against a raw-pixel baseline, and how ImageNet-like the images look to the source model.
     */
    private Finding transferCheck(Backbone net, List<Sample> train, float[][] features, BatchLoader.Options loading) {
        long start = System.nanoTime();
        TransferCheck.Result r = new TransferCheck().check(net, train, features, cacheRoot, hashes, loading);
        log.printf("transfer check in %.1fs%n", (System.nanoTime() - start) / 1e9);
        return r.finding();
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

    /**
     * Exports the trained classifier, scores the validation split with the kept weights, scores the
     * test split once with the exported model, checks the export against training, and writes the
     * manifest.
     */
    private Outcome assemble(DatasetFeatures data, TrainingStages.Trained trained) {
        Graph classifier = trained.classifier();
        Weights weights = trained.weights();
        TrainedHead head = trained.head();
        BlockBoundaries.Cut cut = trained.cut();
        GraphTrainer.CutData validation = trained.validation();
        GraphTrainer.CutData test = trained.test();
        RunRecord partial = trained.record();
        long start = System.nanoTime();
        List<String> classes = data.folder().classNames();
        boolean mapped = classifier.outputs().containsKey(Graph.Outputs.FEATURE_MAP);
        List<String> roles = mapped
                ? List.of(TrainedHead.PROBABILITIES, Graph.Outputs.FEATURES, Graph.Outputs.FEATURE_MAP)
                : List.of(TrainedHead.PROBABILITIES, Graph.Outputs.FEATURES);
        byte[] onnx = data.calibration() == null ? OnnxWriter.write(classifier, weights, roles)
                : OnnxWriter.writeInt8(classifier, weights.withFileQuantizationOf(data.backbone().weights()), roles,
                        data.calibration());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(org.transfer4j.model.ModelBundle.ONNX, onnx);
        if (data.calibration() != null) {
            files.put(org.transfer4j.model.ModelBundle.CALIBRATION, data.calibration().toJson());
        }
        files.put(org.transfer4j.model.ModelBundle.HEAD, safetensors(head.weights()));

        RunRecord.SplitScore validationScore = null;
        float[][] validationProbabilities = null;
        if (validation.size() > 0) {
            validationProbabilities = GraphTrainer.probabilities(classifier, weights, cut, validation);
            validationScore = RunRecord.SplitScore.of("validation",
                    Evaluation.of(classes, validation.labels(), validationProbabilities), "trained model (DJL)");
        }
        RunManifest manifestMaker = new RunManifest(dataset, config, fineTune, augmentedViews(), maxPixels,
                testFraction, validationFraction, hashes, featureTable != null
                ? TableFeatures.device(featureTable) : usedDevice().toString());
        ImageClassifier exported = new ImageClassifier(manifestMaker.preliminary(data, head), files);
        List<ScoredImage> scoredTest = List.of();
        RunRecord.SplitScore testScore = null;
        RunRecord.ExportParity parity;
        String evaluatedOn = "the test split of " + dataset.toAbsolutePath().normalize().getFileName();
        try {
            if (featureTable != null) {
                // no images: the test split is scored once by the trained model on the table's features
                float[][] p = test.size() > 0 ? GraphTrainer.probabilities(classifier, weights, cut, test)
                        : validationProbabilities;
                if (p == null) {
                    throw new IllegalArgumentException("--test-split 0 and --val-split 0 leave no image to report on: "
                            + "keep at least one of them above 0");
                }
                scoredTest = TestScoring.fromProbabilities(test.size() > 0 ? data.testImages() : data.validationImages(), p);
                if (test.size() > 0) {
                    testScore = RunRecord.SplitScore.of("test", Evaluation.of(classes, test.labels(), p),
                            "trained model on the feature table (DJL)");
                } else {
                    evaluatedOn = "the validation split (there is no test split)";
                }
                parity = null;
                log.println("export check: not run (a feature table has no images to run model.onnx on); the "
                        + "backbone in model.onnx is the one whose cache key the table records");
            } else if (test.size() > 0) {
                // the one scoring of the test split: by the exported model, after every choice was made
                scoredTest = TestScoring.fromModel(exported, data.testImages(), identity(classes.size()));
                float[][] exportedProbabilities = scoredTest.stream().map(ScoredImage::probabilities)
                        .toArray(float[][]::new);
                parity = ExportCheck.compare("test", exportedProbabilities,
                        GraphTrainer.probabilities(classifier, weights, cut, test));
                testScore = RunRecord.SplitScore.of("test", Evaluation.of(classes, test.labels(), exportedProbabilities),
                        "model.onnx (ONNX Runtime)");
            } else if (validationProbabilities != null) {
                evaluatedOn = "the validation split (there is no test split)";
                scoredTest = TestScoring.fromModel(exported, data.validationImages(), identity(classes.size()));
                parity = ExportCheck.compare("validation",
                        scoredTest.stream().map(ScoredImage::probabilities).toArray(float[][]::new),
                        validationProbabilities);
            } else {
                throw new IllegalArgumentException("--test-split 0 and --val-split 0 leave no image to check the "
                        + "exported model on or to report: keep at least one of them above 0");
            }
        } catch (RuntimeException e) {
            exported.close();
            throw e;
        }
        org.transfer4j.model.OpenSetRule unknown;
        try {
            unknown = UnknownFitting.fit(data, exported, fineTune == null && !augmentedViews().active(), unknownRate, log);
        } catch (RuntimeException e) {
            exported.close();
            throw e;
        }
        RunRecord.Timings t = partial.timings();
        RunRecord run = new RunRecord(partial.history(), partial.headEpochs(), partial.bestEpoch(), partial.lastEpoch(),
                validationScore, testScore, partial.dataWarnings(), parity,
                new RunRecord.Timings(t.featureSeconds(), t.trainingSeconds(), (System.nanoTime() - start) / 1e9));
        if (testScore != null && parity != null) {
            log.printf(java.util.Locale.ROOT, "test accuracy %.4f on %d images (scored once, by model.onnx); "
                    + "export check: max |ONNX - trained| %.2g%n", testScore.accuracy(), testScore.images(),
                    parity.maxAbsDifference());
        } else if (testScore != null) {
            log.printf(java.util.Locale.ROOT, "test accuracy %.4f on %d images (scored once, on the feature table)%n",
                    testScore.accuracy(), testScore.images());
        }
        return new Outcome(exported.withManifest(manifestMaker.complete(data, head, run, files).withUnknown(unknown)
                .withSemi(semiInfo(data, trained.semi()))), scoredTest, evaluatedOn, head);
    }

    /** The manifest's record of the unlabeled folder; null without one. */
    private static org.transfer4j.model.Manifest.SemiInfo semiInfo(DatasetFeatures data,
                                                                   org.transfer4j.semi.SemiSupervision.Outcome semi) {
        UnlabeledImages u = data.unlabeled();
        if (u == null) {
            return null;
        }
        int[] counts = semi.labelCounts(data.numClasses());
        Map<String, Integer> byClass = new LinkedHashMap<>();
        for (int c = 0; c < counts.length; c++) {
            byClass.put(data.folder().classNames().get(c), counts[c]);
        }
        return new org.transfer4j.model.Manifest.SemiInfo(u.root().toString(), u.fingerprint(), u.count(),
                u.excluded().size(), u.skipped(), semi.method().option(), semi.choice(), byClass);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /**
     * The ONNX model of a backbone's outputs: float32, or int8 with a calibration.
     *
     * @param calibration null for float32
     */
    public static byte[] backboneModel(Backbone net, List<String> roles, Calibration calibration) {
        return calibration == null ? OnnxWriter.write(net.graph(), net.weights(), roles)
                : OnnxWriter.writeInt8(net.graph(), net.weights(), roles, calibration);
    }

    /**
     * The feature cache's folder name for a backbone run at a precision: {@link #cacheKey(Backbone)} for
     * float32; for int8 that key with the calibration's id, so int8 features never mix with float ones
     * nor with another calibration's.
     *
     * @param calibration null for float32
     */
    public static String cacheKey(Backbone net, Calibration calibration) {
        String fp32 = cacheKey(net);
        if (calibration == null) {
            return fp32;
        }
        return fp32 + "-int8-" + sha256((fp32 + "|int8|" + calibration.id()).getBytes(StandardCharsets.UTF_8))
                .substring(0, 16);
    }

    /**
     * The feature cache's folder name for a backbone: its weights (with their re-estimated batch-norm
     * statistics, if any: {@link #adaptBatchNorm}), architecture and preprocessing, hashed.
     * Every tool that caches backbone features (training, {@code embed}) uses this key, so that each
     * image goes through each backbone once.
     */
    public static String cacheKey(Backbone net) {
        org.transfer4j.data.Preprocessing p = net.set().preprocessing();
        String key = net.set().architecture() + "|" + net.sha256() + "|" + p.resize() + "|" + p.crop() + "|"
                + p.squash() + "|" + java.util.Arrays.toString(p.mean()) + "|" + java.util.Arrays.toString(p.std()) + "|pipeline-1"
                + (net.adaptation() == null ? "" : "|adabn|" + net.adaptation().statistics());
        return net.set().backbone() + "-" + sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** Hex SHA-256 of bytes. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] safetensors(Map<String, Tensor> tensors) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            SafetensorsWriter.write(tensors, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
