package org.transfer4j.model;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.transfer4j.data.Batch;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.DatasetException;
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

    /**
     * @param manifest the model's description
     * @param files bundle files by name; must hold {@link ModelBundle#ONNX}
     */
    public ImageClassifier(Manifest manifest, Map<String, byte[]> files) {
        this(manifest, files, session(files));
    }

    private ImageClassifier(Manifest manifest, Map<String, byte[]> files, OrtRunner runner) {
        this.manifest = manifest;
        this.files = Map.copyOf(files);
        Manifest.PreprocessingInfo p = manifest.preprocessing();
        this.preprocessing = new Preprocessing(p.resize(), p.crop(), p.squash(), p.mean(), p.std());
        this.runner = runner;
    }

    private static OrtRunner session(Map<String, byte[]> files) {
        try {
            return new OrtRunner(files.get(ModelBundle.ONNX), 0);
        } catch (IllegalStateException e) {
            throw new ModelException("model.onnx is damaged: " + e.getMessage(), e);
        }
    }

    /**
     * The same model with another manifest (training completes the manifest after scoring with the
     * model). The returned classifier takes over this one's session: use only the returned one.
     */
    public ImageClassifier withManifest(Manifest complete) {
        return new ImageClassifier(complete, files, runner);
    }

    /**
     * The same model with more files in its bundle, e.g. the report's. The returned classifier takes
     * over this one's session: use only the returned one.
     */
    public ImageClassifier withFiles(Map<String, byte[]> more) {
        Map<String, byte[]> all = new java.util.LinkedHashMap<>(files);
        all.putAll(more);
        return new ImageClassifier(manifest, all, runner);
    }

    /**
     * Loads a saved model bundle.
     *
     * @throws ModelException when the folder is not a valid bundle
     */
    public static ImageClassifier load(Path dir) {
        Manifest m = ModelBundle.readManifest(dir);
        ImageClassifier model;
        try {
            model = new ImageClassifier(m, ModelBundle.readFiles(dir));
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

    /** The bytes of a bundle file, e.g. {@code loss.png}; null when absent. */
    public byte[] file(String name) {
        return files.get(name);
    }

    /** Predicts the class of an image file. */
    public Prediction predict(Path image) throws IOException {
        return predict(ImageDecoder.decodeRgb(image));
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
        float[][] probs = probabilities(input, images.size());
        List<Prediction> result = new ArrayList<>();
        for (float[] row : probs) {
            result.add(toPrediction(row, classes()));
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
                for (int i = 0; i < batch.size(); i++) {
                    each.accept(batch.samples().get(i), probs[i]);
                }
            }
        }
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
