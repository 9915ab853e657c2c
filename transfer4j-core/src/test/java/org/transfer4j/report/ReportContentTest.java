package org.transfer4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.eval.Evaluation;

/** What the report and the model card contain, on a made-up run (no training, no browser). */
class ReportContentTest {

    @Test
    void everySectionIsThereAndNothingIsLoadedFromElsewhere(@TempDir Path tmp) {
        SyntheticRun run = new SyntheticRun(tmp);
        Map<String, byte[]> files = new ReportWriter(run.manifest, run.scored, "the synthetic test split")
                .withoutGradCam("Grad-CAM needs the backbone weights").files();
        assertThat(files).containsKeys(ReportWriter.HTML, ReportWriter.MODEL_CARD, "loss.png", "accuracy.png",
                "confusion.png", "predictions.png");
        String html = new String(files.get(ReportWriter.HTML), StandardCharsets.UTF_8);
        for (String id : HtmlReport.SECTIONS) {
            assertThat(html).contains("<h2 id=\"" + id + "\">");
        }
        assertThat(html).as("self-contained").doesNotContainPattern("(src|href)=\"(?!data:)").doesNotContain("<script")
                .doesNotContain("<link").contains("default-src 'none'");
        assertThat(html).contains("Grad-CAM needs the backbone weights");
        // the fixture: 3 of 24 images wrong, all class1 taken for class2
        assertThat(html).contains("87.50%").contains("<td class=\"l\">class1</td><td class=\"l\">class2</td><td>3</td>");
        String card = new String(files.get(ReportWriter.MODEL_CARD), StandardCharsets.UTF_8);
        for (String heading : ModelCard.SECTIONS) {
            assertThat(card).contains(heading);
        }
        assertThat(card).contains("| class0 | 20 | 0 | 8 |", "| class2 | 30 | 0 | 8 |", "class1 taken for class2 (3 images")
                .doesNotContain("Warning");
    }

    @Test
    void aResultNearChanceOrBelowTheBaselineWarnsOfNegativeTransfer() {
        List<String> two = List.of("a", "b");
        Evaluation nearChance = new Evaluation(two, new long[][] {{27, 23}, {23, 27}});
        Evaluation good = new Evaluation(two, new long[][] {{48, 2}, {1, 49}});
        Evaluation belowMajority = new Evaluation(two, new long[][] {{70, 20}, {6, 4}});
        assertThat(nearChance.accuracy()).isEqualTo(0.54);
        assertThat(ModelCard.negativeTransferWarning(nearChance)).get().asString().contains("close to chance");
        assertThat(ModelCard.negativeTransferWarning(good)).isEmpty();
        assertThat(belowMajority.accuracy()).isEqualTo(0.74);
        assertThat(ModelCard.negativeTransferWarning(belowMajority)).get().asString()
                .contains("far below the majority-class baseline (90.0%");
    }
}
