package org.transfer4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelException;
import org.transfer4j.report.GradCam;
import org.transfer4j.report.ReportWriter;
import org.transfer4j.report.ScoredImage;
import org.transfer4j.report.TestScoring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code transfer4j report}: regenerates a run's report.html, MODEL_CARD.md and plots from its bundle. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Regenerate report.html, MODEL_CARD.md and the plots of a trained model from its bundle: "
                + "the test split saved in its manifest is run through model.onnx again.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "A model folder written by 'train'.")
    Path run;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The dataset folder, when it has moved since training. Default: the one in the manifest.")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the files. Default: RUN_DIR.")
    Path out;

    @Override
    public Integer call() {
        try (ImageClassifier model = ImageClassifier.load(run)) {
            Manifest m = model.manifest();
            if (m.training() == null || m.training().split() == null) {
                throw new ModelException(run + ": the manifest has no saved split, so there is no test set to report on; "
                        + "use 'transfer4j evaluate " + run + " DATA --report FILE' instead");
            }
            Path root = data != null ? data : Path.of(m.training().dataset());
            ImageFolder folder = ImageFolder.fromPaths(root, m.classes(), m.training().split().train(),
                    m.training().split().validation(), m.training().split().test());
            List<ScoredImage> scored = TestScoring.fromModel(model, folder.test(), model.classIdsOf(folder, root));
            ReportWriter writer = new ReportWriter(m, scored, "the test split of " + root.getFileName());
            Map<String, byte[]> files = withGradCam(writer, run, model);
            Path target = out != null ? out : run;
            ReportWriter.save(target, files);
            System.err.println("report written to " + target.resolve(ReportWriter.HTML));
        }
        return 0;
    }

    /** The writer's files, with Grad-CAM when the model exports its feature map, else with a note why not. */
    static Map<String, byte[]> withGradCam(ReportWriter writer, Path bundle, ImageClassifier model) {
        GradCam cam;
        try {
            cam = GradCam.forBundle(bundle, model);
        } catch (IllegalArgumentException e) {
            System.err.println("transfer4j: no Grad-CAM: " + e.getMessage());
            return writer.withoutGradCam("No Grad-CAM: " + e.getMessage()).files();
        }
        try (cam) {
            return writer.gradCam(cam).files();
        }
    }
}
