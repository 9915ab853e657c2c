package org.transfer4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.transfer4j.eval.Evaluation;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.ModelBundle;
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

    @Override
    public Integer call() throws Exception {
        try (ImageClassifier classifier = ImageClassifier.load(model)) {
            Evaluation e = classifier.evaluate(data);
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("accuracy", e.accuracy());
                out.put("balancedAccuracy", e.balancedAccuracy());
                out.put("majorityBaseline", e.majorityBaseline());
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
}
