package org.transfer4j.model;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.transfer4j.data.Batch;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.DatasetException;
import org.transfer4j.data.DecodeOptions;
import org.transfer4j.data.ImageDecoder;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.data.Sample;
import org.transfer4j.data.SkippedFile;
import org.transfer4j.eval.Evaluation;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.train.TrainedHead;

/**
 * A trained image classifier: backbone and head as one ONNX model plus its manifest. Prediction needs
 * only ONNX Runtime. Load a saved one with {@link #load(Path)}; save with {@link #save(Path)}.
 */
public final class ImageClassifier implements AutoCloseable {

    private final Manifest manifest;
    private final Map<String, byte[]> files;
    private final Preprocessing preprocessing;
    private final OrtRunner runner;
    /** The unknown rule applied, or null; the manifest's unless overridden. */
    private final OpenSetRule openSet;

    /**
     * @param manifest the model's description
     * @param files bundle files by name; must hold {@link ModelBundle#ONNX}
     */
    public ImageClassifier(Manifest manifest, Map<String, byte[]> files) {
        this(manifest, files, org.transfer4j.exec.Device.cpu());
    }

    /**
     * A classifier whose {@code model.onnx} runs on a device.
     *
     * @param device {@code cpu} or {@code cuda:N}, resolved ({@link org.transfer4j.exec.Device#resolve})
     */
    public ImageClassifier(Manifest manifest, Map<String, byte[]> files, org.transfer4j.exec.Device device) {
        this(manifest, files, session(files, device, 0), manifest.unknown());
    }

    private ImageClassifier(Manifest manifest, Map<String, byte[]> files, OrtRunner runner, OpenSetRule openSet) {
        this.manifest = manifest;
        this.files = Map.copyOf(files);
        Manifest.PreprocessingInfo p = manifest.preprocessing();
        this.preprocessing = new Preprocessing(p.resize(), p.crop(), p.squash(), p.mean(), p.std());
        this.runner = runner;
        this.openSet = openSet;
    }

    private static OrtRunner session(Map<String, byte[]> files, org.transfer4j.exec.Device device, int threads) {
        try {
            return new OrtRunner(files.get(ModelBundle.ONNX), threads, device);
        } catch (IllegalStateException e) {
            throw new ModelException("model.onnx is damaged: " + e.getMessage(), e);
        }
    }

    /**
     * The same model with another manifest (training completes the manifest after scoring with the
     * model). The returned classifier takes over this one's session: use only the returned one.
     */
    public ImageClassifier withManifest(Manifest complete) {
        return new ImageClassifier(complete, files, runner, complete.unknown());
    }

    /**
     * The same model applying another unknown rule: the manifest's with another threshold
     * ({@code rule.withThreshold}), or null never to answer unknown ({@code --no-unknown}). The
     * manifest is unchanged. The returned classifier takes over this one's session: use only it.
     *
     * @throws ModelException when the rule is not null and model.onnx has no features output
     */
    public ImageClassifier withUnknownRule(OpenSetRule rule) {
        if (rule != null && !runner.outputNames().contains(Graph.Outputs.FEATURES)) {
            throw new ModelException("this model.onnx has no " + Graph.Outputs.FEATURES + " output, so it cannot "
                    + "answer unknown: train it again with this transfer4j");
        }
        return new ImageClassifier(manifest, files, runner, rule);
    }

    /** The unknown rule applied to predictions; null when the model never answers unknown. */
    public OpenSetRule unknownRule() {
        return openSet;
    }

    /**
     * The same model with more files in its bundle, e.g. the report's. The returned classifier takes
     * over this one's session: use only the returned one.
     */
    public ImageClassifier withFiles(Map<String, byte[]> more) {
        Map<String, byte[]> all = new java.util.LinkedHashMap<>(files);
        all.putAll(more);
        return new ImageClassifier(manifest, all, runner, openSet);
    }

    /**
     * Loads a saved model bundle.
     *
     * @throws ModelException when the folder is not a valid bundle
     */
    public static ImageClassifier load(Path dir) {
        return load(dir, org.transfer4j.exec.Device.cpu());
    }

    /**
     * Loads a saved model bundle to run on a device.
     *
     * @param device {@code cpu} or {@code cuda:N}, resolved ({@link org.transfer4j.exec.Device#resolve})
     * @throws ModelException when the folder is not a valid bundle
     */
    public static ImageClassifier load(Path dir, org.transfer4j.exec.Device device) {
        return load(dir, device, 0);
    }

    /**
     * Loads a saved model bundle to run on a device with a number of ONNX Runtime intra-op threads per
     * batch: a server that runs several batches at once gives each of them a share of the cores.
     *
     * @param threads intra-op threads, 0 for ONNX Runtime's default (one per physical core)
     * @throws ModelException when the folder is not a valid bundle
     */
    public static ImageClassifier load(Path dir, org.transfer4j.exec.Device device, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (the default) or more, got " + threads);
        }
        Manifest m = ModelBundle.readManifest(dir);
        ImageClassifier model;
        try {
            Map<String, byte[]> files = ModelBundle.readFiles(dir);
            model = new ImageClassifier(m, files, session(files, device, threads), m.unknown());
        } catch (ModelException e) {
            throw new ModelException(dir + ": " + e.getMessage() + "; the file is truncated or altered: save the bundle "
                    + "again or train again", e);
        }
        int crop = m.preprocessing().crop();
        int outputs = model.probabilities(new float[3 * crop * crop], 1)[0].length;
        if (outputs != m.classes().size()) {
            model.close();
            throw new ModelException(dir + ": model.onnx has " + outputs + " outputs but the manifest lists "
                    + m.classes().size() + " classes " + m.classes() + "; the bundle was edited or mixed up: restore it "
                    + "or train again");
        }
        if (m.unknown() != null) {
            try {
                m.unknown().check(m.classes(), m.backbone().featureWidth());
                model.withUnknownRule(m.unknown());
            } catch (ModelException e) {
                model.close();
                throw new ModelException(dir + ": " + e.getMessage(), e);
            }
        }
        return model;
    }

    /** Saves the bundle to a folder (atomically; an existing bundle there is replaced). */
    public void save(Path dir) {
        ModelBundle.write(dir, manifest, files);
    }

    public Manifest manifest() {
        return manifest;
    }

    public List<String> classes() {
        return manifest.classes();
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /**
     * The model's ONNX Runtime session, for tools that read its other outputs (Grad-CAM reads
     * {@code feature_map}); it stays the classifier's and closes with it.
     */
    public OrtRunner session() {
        return runner;
    }

    /** fp32, or int8 when the bundle's {@code model.onnx} is an int8 network (the bundle holds its calibration). */
    public org.transfer4j.exec.Precision precision() {
        return files.containsKey(ModelBundle.CALIBRATION) ? org.transfer4j.exec.Precision.INT8
                : org.transfer4j.exec.Precision.FP32;
    }

    /** The bytes of a bundle file, e.g. {@code loss.png}; null when absent. */
    public byte[] file(String name) {
        return files.get(name);
    }

    /** Predicts the class of an image file. */
    public Prediction predict(Path image) throws IOException {
        return predict(ImageDecoder.decodeRgb(image));
    }

    /**
     * Predicts the class of an encoded image (JPEG, PNG, GIF, BMP, WebP...) read whole from a stream;
     * the caller bounds the stream's size and closes it.
     *
     * @throws IOException when the stream fails or does not hold a decodable image
     */
    public Prediction predict(InputStream encoded) throws IOException {
        return predict(ImageDecoder.decodeRgb(encoded.readAllBytes(), "image", DecodeOptions.defaults()));
    }

    /** Predicts the class of an RGB image. */
    public Prediction predict(BufferedImage image) {
        return predictAll(List.of(image)).get(0);
    }

    /** Predicts a batch of images at once. */
    public List<Prediction> predictAll(List<BufferedImage> images) {
        int per = preprocessing.floatsPerImage();
        float[] input = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            preprocessing.apply(images.get(i), input, i * per);
        }
        return predictPixels(input, images.size());
    }

    /**
     * Predicts a batch of images already prepared by {@link #preprocessing()} (each
     * {@link Preprocessing#floatsPerImage()} floats): a server prepares each image on its request thread
     * and runs only the model on the batch.
     *
     * @throws IllegalArgumentException when an image has the wrong number of floats
     */
    public List<Prediction> predictPrepared(List<float[]> prepared) {
        int per = preprocessing.floatsPerImage();
        float[] input = new float[prepared.size() * per];
        for (int i = 0; i < prepared.size(); i++) {
            if (prepared.get(i).length != per) {
                throw new IllegalArgumentException("a prepared image has " + prepared.get(i).length
                        + " floats, this model takes " + per);
            }
            System.arraycopy(prepared.get(i), 0, input, i * per, per);
        }
        return predictPixels(input, prepared.size());
    }

    private List<Prediction> predictPixels(float[] input, int n) {
        long[] shape = {n, 3, preprocessing.crop(), preprocessing.crop()};
        if (openSet == null) {
            List<Prediction> result = new ArrayList<>();
            for (float[] row : probabilities(input, n)) {
                result.add(toPrediction(row, classes()));
            }
            return result;
        }
        Map<String, float[][]> out = runner.run(input, shape, Set.of(TrainedHead.PROBABILITIES, Graph.Outputs.FEATURES));
        float[][] probs = out.get(TrainedHead.PROBABILITIES);
        float[][] features = out.get(Graph.Outputs.FEATURES);
        List<Prediction> result = new ArrayList<>();
        for (int i = 0; i < probs.length; i++) {
            Prediction p = toPrediction(probs[i], classes());
            OpenSetRule.Verdict v = openSet.judge(features[i]);
            result.add(new Prediction(p.label(), p.probability(), p.top(), new Prediction.Verdict(v.unknown(),
                    v.score(), classes().get(v.nearestClass()), v.threshold())));
        }
        return result;
    }

    /**
     * Evaluates on a labelled folder: its test/val split when it has one, else every image in it.
     * The folder's class names must be classes of this model.
     */
    public Evaluation evaluate(Path folder) {
        ImageFolder data = ImageFolder.scanForEvaluation(folder);
        int[] classOf = classIdsOf(data, folder);
        List<Integer> truth = new ArrayList<>();
        List<Integer> predicted = new ArrayList<>();
        score(data.test(), (sample, probabilities) -> {
            truth.add(classOf[sample.classIndex()]);
            predicted.add(toPrediction(probabilities, classes()).index());
        });
        return Evaluation.of(classes(), truth.stream().mapToInt(Integer::intValue).toArray(),
                predicted.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * This model's class id for each class of a labelled folder.
     *
     * @param folder the folder {@code data} was scanned from, for the message
     * @throws DatasetException naming a class the model does not know
     */
    public int[] classIdsOf(ImageFolder data, Path folder) {
        int[] classOf = new int[data.classNames().size()];
        for (int i = 0; i < classOf.length; i++) {
            classOf[i] = classes().indexOf(data.classNames().get(i));
            if (classOf[i] < 0) {
                throw new DatasetException(folder + ": class '" + data.classNames().get(i)
                        + "' is unknown to this model (it knows " + String.join(", ", classes()) + ")");
            }
        }
        return classOf;
    }

    /**
     * Runs the model over images in batches and hands each readable one its class probabilities, in
     * order; unreadable images are left out with a note on stderr.
     */
    public void score(List<Sample> samples, BiConsumer<Sample, float[]> each) {
        try (BatchLoader loader = new BatchLoader(samples, preprocessing, BatchLoader.Options.defaults())) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                for (SkippedFile s : batch.skipped()) {
                    System.err.println("transfer4j: skipped " + s.file() + ": " + s.reason());
                }
                if (batch.size() == 0) {
                    continue;
                }
                float[][] probs = probabilities(batch.pixels(), batch.size());
                loader.recycle(batch);
                for (int i = 0; i < batch.size(); i++) {
                    each.accept(batch.samples().get(i), probs[i]);
                }
            }
        }
    }

    /**
     * Runs the model over images in batches and hands each readable one its {@code features} output
     * (the backbone's, as fine-tuned), in order; unreadable images are left out with a note on stderr.
     */
    public void features(List<Sample> samples, BiConsumer<Sample, float[]> each) {
        outputs(samples, Set.of(Graph.Outputs.FEATURES), (s, out) -> each.accept(s, out.get(Graph.Outputs.FEATURES)));
    }

    /**
     * Runs the model over images in batches, in one pass, and hands each readable one the named outputs
     * ({@link TrainedHead#PROBABILITIES}, {@link Graph.Outputs#FEATURES}), in order; unreadable images are
     * left out with a note on stderr.
     */
    public void outputs(List<Sample> samples, Set<String> names, BiConsumer<Sample, Map<String, float[]>> each) {
        try (BatchLoader loader = new BatchLoader(samples, preprocessing, BatchLoader.Options.defaults())) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                for (SkippedFile s : batch.skipped()) {
                    System.err.println("transfer4j: skipped " + s.file() + ": " + s.reason());
                }
                if (batch.size() > 0) {
                    Map<String, float[][]> out = runner.run(batch.pixels(), new long[] {batch.size(), 3,
                            preprocessing.crop(), preprocessing.crop()}, names);
                    loader.recycle(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        Map<String, float[]> row = new java.util.LinkedHashMap<>();
                        for (String name : names) {
                            row.put(name, out.get(name)[i]);
                        }
                        each.accept(batch.samples().get(i), row);
                    }
                }
            }
        }
    }

    /** The head of this model ({@code head.safetensors}), which runs on feature rows in plain Java. */
    public TrainedHead head() {
        Manifest.HeadInfo h = manifest.head();
        Map<String, org.transfer4j.weights.Tensor> weights;
        try {
            // the safetensors reader reads files: a temporary copy of the bytes the bundle was loaded from
            Path copy = java.nio.file.Files.createTempFile("transfer4j-head", ".safetensors");
            try {
                java.nio.file.Files.write(copy, file(ModelBundle.HEAD));
                weights = org.transfer4j.weights.SafetensorsReader.read(copy).asMap();
            } finally {
                java.nio.file.Files.deleteIfExists(copy);
            }
        } catch (IOException e) {
            throw new ModelException("cannot read " + ModelBundle.HEAD + ": " + e.getMessage(), e);
        }
        return new TrainedHead(org.transfer4j.train.HeadSpec.parse(h.hidden(), h.dropout()), h.inputWidth(),
                h.numClasses(), weights);
    }

    private float[][] probabilities(float[] pixels, int n) {
        return runner.run(pixels, new long[] {n, 3, preprocessing.crop(), preprocessing.crop()},
                Set.of(TrainedHead.PROBABILITIES)).get(TrainedHead.PROBABILITIES);
    }

    /** Ranks class probabilities into a prediction. */
    static Prediction toPrediction(float[] probabilities, List<String> classes) {
        List<Prediction.Scored> all = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            all.add(new Prediction.Scored(classes.get(i), i, probabilities[i]));
        }
        all.sort(Comparator.comparingDouble(Prediction.Scored::probability).reversed());
        return new Prediction(all.get(0).label(), all.get(0).probability(), List.copyOf(all));
    }

    @Override
    public void close() {
        runner.close();
    }
}
