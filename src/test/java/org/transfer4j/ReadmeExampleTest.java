package org.transfer4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Prediction;

/**
 * The README's Java example, compiled and run; a second test keeps the README and this copy equal (but
 * for the folder the model is saved in: target/runs/ here, runs/ in the README).
 */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns() throws Exception {
        SharedData.dataset("hymenoptera");
        // --- README example start
        ImageClassifier model = Transfer.from(Path.of("../shared/datasets/hymenoptera"))
                .backbone("mobilenet_v2").weightsDir(Path.of("../shared/pretrained"))
                .frozen().head(500).epochs(10).train();
        Prediction p = model.predict(Path.of("../shared/datasets/hymenoptera/val/bees/26589803_5ba7000313.jpg"));
        System.out.println(p.label() + " " + p.probability());
        model.save(Path.of("target/runs/hymenoptera"));
        ImageClassifier again = ImageClassifier.load(Path.of("target/runs/hymenoptera"));
        // --- README example end
        assertThat(p.label()).isEqualTo("bees");
        assertThat(again.predict(Path.of("../shared/datasets/hymenoptera/val/bees/26589803_5ba7000313.jpg")).label())
                .isEqualTo("bees");
        model.close();
        again.close();
    }

    @Test
    void readmeShowsThisExample() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README has a java block").isTrue();
        String source = Files.readString(Path.of("src/test/java/org/transfer4j/ReadmeExampleTest.java"));
        String example = source.substring(source.indexOf("// --- README example start"), source.indexOf("// --- README example end"));
        List<String> readmeLines = m.group(1).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("import ")).toList();
        // The test saves under target/, so that it writes nothing into the checkout; the README says runs/.
        List<String> exampleLines = example.replace("\"target/runs/", "\"runs/").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("//")).toList();
        assertThat(exampleLines).isEqualTo(readmeLines);
    }
}
