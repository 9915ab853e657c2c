package org.transfer4j.cli;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.transfer4j.data.DecodeOptions;
import org.transfer4j.data.ImageDecoder;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Prediction;
import org.transfer4j.report.GradCam;
import org.transfer4j.report.Heatmap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transfer4j explain}: Grad-CAM overlays showing where a trained model looks. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Write Grad-CAM overlays (the crop the model sees, and the heatmap of the explained class "
                + "over it) as PNG files, one per image.")
final class ExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model folder written by 'train'.")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the overlays. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--class", paramLabel = "NAME", description = "Explain this class. Default: the predicted one.")
    String className;

    @Override
    public Integer call() throws IOException {
        int failures = 0;
        Files.createDirectories(out);
        try (ImageClassifier classifier = ImageClassifier.load(model);
             GradCam cam = GradCam.forBundle(model, classifier)) {
            int fixed = -1;
            if (className != null) {
                fixed = classifier.classes().indexOf(className);
                if (fixed < 0) {
                    throw Usage.error(spec, "--class '" + className + "' is not a class of this model; it knows "
                            + String.join(", ", classifier.classes()));
                }
            }
            for (Path image : images) {
                BufferedImage rgb;
                try {
                    rgb = ImageDecoder.decodeRgb(image, DecodeOptions.forPreprocessing(classifier.preprocessing()));
                } catch (IOException e) {
                    System.err.println("transfer4j: skipped " + e.getMessage());
                    failures++;
                    continue;
                }
                Prediction p = classifier.predict(rgb);
                int target = fixed >= 0 ? fixed : classifier.classes().indexOf(p.label());
                float[] pixels = classifier.preprocessing().apply(rgb);
                Heatmap map = cam.explain(pixels, new int[] {target}).get(0);
                BufferedImage seen = GradCam.inputImage(pixels, classifier.preprocessing());
                Path file = out.resolve(stem(image) + "-gradcam.png");
                ImageIO.write(sideBySide(seen, map.overlay(seen)), "png", file.toFile());
                System.out.printf(Locale.ROOT, "%s  %s %.4f  heatmap of %s -> %s%n", image, p.label(), p.probability(),
                        classifier.classes().get(target), file);
            }
        }
        return failures == 0 ? 0 : Main.FAILED;
    }

    private static BufferedImage sideBySide(BufferedImage a, BufferedImage b) {
        BufferedImage both = new BufferedImage(a.getWidth() + b.getWidth() + 8, a.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth() + 8, 0, null);
        g.dispose();
        return both;
    }

    private static String stem(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
