package org.transfer4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.eval.Evaluation;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.report.ReportWriter;
import org.transfer4j.report.TestScoring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code transfer4j evaluate}: accuracy, per-class figures and confusion matrix on a labelled folder. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a trained model on a labelled image folder (its val/test split if it has one).")
final class EvaluateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model folder written by 'train'.")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA", description = "A labelled image folder.")
    Path data;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also write an HTML report of this evaluation (self-contained, with Grad-CAM).")
    Path report;

    @Override
    public Integer call() throws Exception {
        try (ImageClassifier classifier = ImageClassifier.load(model)) {
            Evaluation e = report == null ? classifier.evaluate(data) : evaluateWithReport(classifier);
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("accuracy", e.accuracy());
                out.put("balancedAccuracy", e.balancedAccuracy());
                out.put("majorityBaseline", e.majorityBaseline());
                out.put("topKAccuracy", e.topKAccuracy());
                out.put("images", e.total());
                out.put("classes", e.classes());
                out.put("perClass", e.perClass());
                out.put("confusion", e.confusion());
                System.out.println(ModelBundle.json().writeValueAsString(out));
            } else {
                System.out.print(e.table());
            }
        }
        return 0;
    }

    /** Scores every image once, writes the report and returns its evaluation (with top-k). */
    private Evaluation evaluateWithReport(ImageClassifier classifier) throws IOException {
        ImageFolder folder = ImageFolder.scanForEvaluation(data);
        int[] classOf = classifier.classIdsOf(folder, data);
        ReportWriter writer = new ReportWriter(classifier.manifest(), TestScoring.fromModel(classifier, folder.test(), classOf),
                data.toAbsolutePath().normalize().getFileName() + " (" + folder.description() + ")");
        byte[] html = ReportCommand.withGradCam(writer, model, classifier)
                .get(ReportWriter.HTML);
        Path target = report.toAbsolutePath();
        ReportWriter.save(target.getParent(), Map.of(target.getFileName().toString(), html));
        System.err.println("report written to " + report);
        return writer.evaluation();
    }
}
