package org.transfer4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.ImageDecoder;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.model.Prediction;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.ImagenetLabels;
import org.transfer4j.weights.WeightSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transfer4j classify}: ImageNet labels from the pretrained head, the quickest weights check. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Name the ImageNet classes of images with a backbone's pretrained classifier.")
final class ClassifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    WeightOptions weights;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files.")
    List<Path> images;

    @Option(names = "--top", description = "Classes per image. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        weights.validate();
        if (top < 1) {
            throw Usage.error(spec, "--top must be at least 1, got " + top);
        }
        Backbone backbone = weights.load();
        if (backbone.set().labels() == WeightSet.Labels.NONE || !backbone.graph().outputs().containsKey(Graph.Outputs.LOGITS)) {
            throw Usage.error(spec, "--backbone " + weights.backbone + ": " + backbone.set().id()
                    + " has no ImageNet classifier; pick another backbone");
        }
        int numClasses = backbone.graph().width(Graph.Outputs.LOGITS);
        List<String> labels = labels(numClasses);
        List<Map<String, Object>> results = new ArrayList<>();
        int failures = 0;
        try (OrtRunner ort = new OrtRunner(OnnxWriter.write(backbone.graph(), backbone.weights(),
                List.of(Graph.Outputs.LOGITS)), 0)) {
            var pre = backbone.set().preprocessing();
            for (Path image : images) {
                float[] input;
                try {
                    input = pre.apply(ImageDecoder.decodeRgb(image));
                } catch (IOException e) {
                    System.err.println("transfer4j: skipped " + e.getMessage());
                    failures++;
                    continue;
                }
                float[] logits = ort.run(input, new long[] {1, 3, pre.crop(), pre.crop()}).get(Graph.Outputs.LOGITS)[0];
                results.add(Map.of("image", image.toString(), "top", topK(Prediction.softmax(logits), labels)));
            }
        }
        if (json) {
            System.out.println(ModelBundle.json().writeValueAsString(results));
        } else {
            for (Map<String, Object> r : results) {
                System.out.println(r.get("image"));
                for (Object o : (List<?>) r.get("top")) {
                    Map<?, ?> m = (Map<?, ?>) o;
                    System.out.printf(Locale.ROOT, "  %6.2f%%  %s%n", 100 * (Double) m.get("probability"), m.get("label"));
                }
            }
        }
        return failures == 0 ? 0 : Main.FAILED;
    }

    private List<Map<String, Object>> topK(float[] probs, List<String> labels) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < probs.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Float.compare(probs[b], probs[a]));
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < Math.min(top, probs.length); i++) {
            int k = order.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", k);
            m.put("label", labels.get(k));
            m.put("probability", (double) probs[k]);
            out.add(m);
        }
        return out;
    }

    /** ImageNet names from an {@code imagenet_labels.txt} in the weights folder, else class numbers. */
    private List<String> labels(int numClasses) throws IOException {
        Path dir = weights.searchDir();
        if (dir == null && weights.weightsFile != null) {
            dir = weights.weightsFile.toAbsolutePath().getParent();
        }
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> found = Files.find(dir, 3, (p, a) -> p.getFileName().toString().equals("imagenet_labels.txt"))) {
                var file = found.sorted().findFirst();
                if (file.isPresent()) {
                    return ImagenetLabels.read(file.get()).forClasses(numClasses);
                }
            }
        }
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < numClasses; i++) {
            numbers.add("class " + i);
        }
        return numbers;
    }
}
