package org.transfer4j.semi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.ImageTree;
import org.transfer4j.data.Sample;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Manifest;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.unlabeled.EmbeddingFiles;
import org.transfer4j.unlabeled.Embeddings;

/**
 * {@code transfer4j suggest}: which images of a folder a trained model would learn most from if they
 * were labelled next ({@link Suggestions}), from the model's probabilities and features.
 *
 * <p>The folder is either images (any depth: one pass of {@code model.onnx} gives both outputs, for a
 * frozen or fine-tuned model) or an index written by {@code transfer4j index} or {@code embed} (its
 * features are reused and the head runs on them in Java): the index must then hold the features of the
 * model's own backbone weights, unchanged by fine-tuning.
 *
 * <pre>{@code
 * try (ImageClassifier model = ImageClassifier.load(Path.of("runs/cats_dogs"))) {
 *     List<LabelSuggester.Suggested> next = new LabelSuggester(model).suggest(Path.of("photos"), 20);
 * }
 * }</pre>
 */
public final class LabelSuggester {

    private final ImageClassifier model;

    public LabelSuggester(ImageClassifier model) {
        this.model = model;
    }

    /**
     * One suggested image.
     *
     * @param file the image file
     * @param path its path relative to the folder
     * @param predicted the model's class for it
     * @param figures margin, distance and score
     */
    public record Suggested(Path file, String path, String predicted, Suggestions.Suggestion figures) {
    }

    /**
     * The {@code n} images to label next, in the order picked.
     *
     * @param folder a folder of images, or an index folder
     * @throws IllegalArgumentException when an index was made with other weights than the model's backbone,
     *     or the model's backbone was fine-tuned
     * @throws org.transfer4j.data.DatasetException when the folder holds no readable image
     */
    public List<Suggested> suggest(Path folder, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--n must be at least 1, got " + n);
        }
        List<Path> files = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        List<float[]> probabilities = new ArrayList<>();
        List<float[]> features = new ArrayList<>();
        if (isIndex(folder)) {
            Embeddings e = EmbeddingFiles.read(folder);
            checkIndex(folder, e);
            TrainedHead head = model.head();
            for (int i = 0; i < e.count(); i++) {
                files.add(e.file(i));
                paths.add(e.items().get(i).path());
                probabilities.add(head.probabilities(e.vectors()[i]));
                features.add(e.vectors()[i]);
            }
        } else {
            ImageTree tree = ImageTree.scan(folder);
            List<Sample> samples = tree.images().stream().map(f -> new Sample(f, 0)).toList();
            model.outputs(samples, Set.of(TrainedHead.PROBABILITIES, Graph.Outputs.FEATURES), (s, out) -> {
                files.add(s.file());
                paths.add(ImageTree.relative(tree.root(), s.file()));
                probabilities.add(out.get(TrainedHead.PROBABILITIES));
                features.add(out.get(Graph.Outputs.FEATURES));
            });
            if (files.isEmpty()) {
                throw new org.transfer4j.data.DatasetException("'" + folder + "' holds no readable image");
            }
        }
        List<Suggested> out = new ArrayList<>();
        for (Suggestions.Suggestion s : Suggestions.rank(probabilities.toArray(float[][]::new),
                features.toArray(float[][]::new), n)) {
            out.add(new Suggested(files.get(s.row()), paths.get(s.row()), model.classes().get(s.predicted()), s));
        }
        return List.copyOf(out);
    }

    /** Whether a folder is an index ({@code index} or {@code embed} output) rather than images. */
    public static boolean isIndex(Path folder) {
        return Files.isRegularFile(folder.resolve(EmbeddingFiles.MANIFEST))
                && Files.isRegularFile(folder.resolve(EmbeddingFiles.NPY));
    }

    /**
     * Checks that an index holds features the model's head can read.
     *
     * @throws IllegalArgumentException naming both backbones when they differ, or when the model was fine-tuned
     */
    public void checkIndex(Path folder, Embeddings e) {
        Manifest m = model.manifest();
        Manifest.BackboneInfo b = m.backbone();
        if (!e.weightsSha256().equals(b.weightsSha256()) || e.width() != b.featureWidth()) {
            throw new IllegalArgumentException("the index " + folder + " holds features of " + e.backbone() + " (weights "
                    + abbreviated(e.weightsSha256()) + "), but the model's backbone is " + b.weightSet() + " (weights "
                    + abbreviated(b.weightsSha256()) + "); give the image folder itself, or an index made with --backbone "
                    + b.name());
        }
        if (b.adaptedBatchNorm() != null) {
            throw new IllegalArgumentException("the model at hand re-estimated its backbone's batch-norm statistics "
                    + "(--adapt-bn), so the index " + folder + " (features of the weights file's statistics) does not "
                    + "match it; give the image folder itself");
        }
        if (m.training() != null && !"frozen".equals(m.training().mode())) {
            throw new IllegalArgumentException("the model at hand fine-tuned its backbone, so the index " + folder
                    + " (features of the pretrained weights) does not match it; give the image folder itself");
        }
    }

    private static String abbreviated(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
