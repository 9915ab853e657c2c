package org.transfer4j.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.eval.Evaluation;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Manifest;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.train.EpochStats;

/**
 * Makes a run's report files: {@code report.html} (one self-contained page), {@code MODEL_CARD.md}
 * and the plots as PNG ({@code loss.png}, {@code accuracy.png}, {@code confusion.png},
 * {@code predictions.png}).
 *
 * <pre>{@code
 * Map<String, byte[]> files = new ReportWriter(manifest, TestScoring.fromModel(model, ...), "the test split")
 *         .gradCam(cam).files();
 * ReportWriter.save(bundleDir, files);
 * }</pre>
 */
public final class ReportWriter {

    public static final String HTML = "report.html";
    public static final String MODEL_CARD = "MODEL_CARD.md";

    private final Manifest manifest;
    private final List<ScoredImage> images;
    private final String evaluatedOn;
    private GradCam gradCam;
    private String gradCamNote = "Grad-CAM was not computed.";
    private PrintStream log = System.err;

    /**
     * @param manifest the run (summary, history, split)
     * @param images the evaluated images with their probabilities
     * @param evaluatedOn the data they come from, in words, e.g. "the test split of cats_dogs"
     */
    public ReportWriter(Manifest manifest, List<ScoredImage> images, String evaluatedOn) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.images = List.copyOf(images);
        this.evaluatedOn = evaluatedOn;
    }

    /** Grad-CAM heatmaps over a sample of right and wrong images (the caller closes it). */
    public ReportWriter gradCam(GradCam cam) {
        this.gradCam = cam;
        return this;
    }

    /** No Grad-CAM, for a reason the report shows in its place. */
    public ReportWriter withoutGradCam(String reason) {
        this.gradCam = null;
        this.gradCamNote = reason;
        return this;
    }

    /** Where notes on unreadable images go (default stderr). */
    public ReportWriter log(PrintStream stream) {
        this.log = stream;
        return this;
    }

    /** The evaluation the report shows, from the images' probabilities. */
    public Evaluation evaluation() {
        int[] truth = new int[images.size()];
        float[][] probabilities = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            truth[i] = images.get(i).truth();
            probabilities[i] = images.get(i).probabilities();
        }
        return Evaluation.of(manifest.classes(), truth, probabilities);
    }

    /** Renders every file, by name. */
    public Map<String, byte[]> files() {
        Evaluation e = evaluation();
        RunFacts facts = RunFacts.of(manifest);
        Map<String, byte[]> plots = new LinkedHashMap<>();
        List<EpochStats> history = facts.history();
        if (!history.isEmpty()) {
            plots.put("loss.png", Plots.lossCurves(history));
            plots.put("accuracy.png", Plots.accuracyCurve(history, e.majorityBaseline(), e.chance()));
        }
        plots.put("confusion.png", Plots.confusionMatrix(e));
        Manifest.PreprocessingInfo p = manifest.preprocessing();
        Preprocessing pre = new Preprocessing(p.resize(), p.crop(), p.squash(), p.mean(), p.std());
        Gallery gallery = Gallery.build(images, manifest.classes(), pre, gradCam, gradCamNote, log);
        plots.put("predictions.png", gallery.predictionsPng());
        String warning = ModelCard.negativeTransferWarning(e).orElse(null);
        Map<String, byte[]> files = new LinkedHashMap<>(plots);
        files.put(HTML, HtmlReport.render(manifest, facts, e, evaluatedOn, gallery, plots, warning)
                .getBytes(StandardCharsets.UTF_8));
        files.put(MODEL_CARD, ModelCard.render(manifest, e, evaluatedOn).getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /**
     * The report of a classifier just trained: its scored test images, with Grad-CAM on the model's own
     * session when its features are a global average pool, else a note why not.
     */
    public static Map<String, byte[]> render(ImageClassifier model, TrainedHead head, List<ScoredImage> scored,
                                             String evaluatedOn, PrintStream log) {
        ReportWriter report = new ReportWriter(model.manifest(), scored, evaluatedOn).log(log);
        GradCam cam;
        try {
            cam = GradCam.forModel(model, head);
        } catch (IllegalArgumentException e) {
            return report.withoutGradCam("Grad-CAM needs features made by a global average pool; those of "
                    + model.manifest().backbone().name() + " are not.").files();
        }
        try (cam) {
            return report.gradCam(cam).files();
        }
    }

    /** Writes files into a folder, each through a temporary file renamed into place. */
    public static void save(Path dir, Map<String, byte[]> files) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path tmp = dir.resolve("." + f.getKey() + ".tmp-" + System.nanoTime());
                Files.write(tmp, f.getValue());
                Files.move(tmp, dir.resolve(f.getKey()), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + dir + ": " + e.getMessage(), e);
        }
    }
}
