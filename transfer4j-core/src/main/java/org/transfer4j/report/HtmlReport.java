package org.transfer4j.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.transfer4j.eval.Evaluation;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.RunRecord;

/**
 * Renders a report as one self-contained HTML page: every image is a data: URI, there is no script,
 * and a content security policy forbids loading anything from elsewhere.
 */
final class HtmlReport {

    /** Section ids, in page order; a complete report has all of them. */
    static final List<String> SECTIONS = List.of("summary", "data", "curves", "metrics", "confusion",
            "per-class", "predictions", "most-confused", "top-losses", "grad-cam");

    private static final String STYLE = "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1180px;"
            + "color:#1f2328;padding:0 16px}h1{font-size:24px}h2{font-size:19px;border-bottom:1px solid #d0d7de;"
            + "padding-bottom:4px;margin-top:32px}table{border-collapse:collapse;margin:8px 0}"
            + "td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:right}th{background:#f6f8fa}"
            + "td.l,th.l{text-align:left}.grid{display:flex;flex-wrap:wrap;gap:10px}"
            + "figure{margin:0;width:170px}figure img{display:block;max-width:160px;max-height:160px}"
            + "figcaption{font-size:12px;color:#1a7f37}figure.wrong figcaption{color:#cf222e}"
            + ".pair{width:340px}.pair img{display:inline-block}.warn{background:#fff8c5;border:1px solid #d4a72c;"
            + "padding:8px 12px}.note{color:#59636e}img.plot{max-width:100%}";

    private final StringBuilder html = new StringBuilder();

    private HtmlReport() {
    }

    static String render(Manifest m, RunFacts facts, Evaluation e, String evaluatedOn, Gallery gallery,
                         Map<String, byte[]> plots, String warning) {
        HtmlReport r = new HtmlReport();
        r.page(m, facts, e, evaluatedOn, gallery, plots, warning);
        return r.html.toString();
    }

    private void page(Manifest m, RunFacts facts, Evaluation e, String evaluatedOn, Gallery gallery,
                      Map<String, byte[]> plots, String warning) {
        String title = "transfer4j report: " + String.join(" / ", m.classes());
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; ")
                .append("style-src 'unsafe-inline'\"><title>").append(esc(title)).append("</title><style>")
                .append(STYLE).append("</style></head><body>\n<h1>").append(esc(title)).append("</h1>\n");
        html.append(String.format(Locale.ROOT, "<p>Accuracy <b>%s</b> on %s (%d images); majority-class baseline %s.</p>%n",
                pct(e.accuracy()), esc(evaluatedOn), e.total(), pct(e.majorityBaseline())));
        if (warning != null) {
            html.append("<p class=\"warn\">⚠ ").append(esc(warning)).append("</p>\n");
        }
        summary(m, facts);
        data(m, facts, e);
        section("curves", "Loss and accuracy curves");
        if (facts.history().isEmpty()) {
            html.append("<p class=\"note\">No training history in the manifest.</p>\n");
        } else {
            plot(plots, "loss.png", "loss curves");
            plot(plots, "accuracy.png", "accuracy per epoch");
        }
        metrics(e, evaluatedOn);
        confusion(e, plots);
        perClass(e);
        section("predictions", "Prediction grid");
        tiles(gallery.predictions());
        confused(e);
        section("top-losses", "Top losses");
        html.append("<p class=\"note\">The images the model got most wrong: largest −log p(true class).</p>\n");
        tiles(gallery.topLosses());
        gradCam(gallery);
        html.append("</body></html>\n");
    }

    private void summary(Manifest m, RunFacts facts) {
        section("summary", "Run summary");
        Manifest.BackboneInfo b = m.backbone();
        Manifest.PreprocessingInfo p = m.preprocessing();
        Manifest.TrainingInfo t = m.training();
        html.append("<table>\n");
        kv("backbone", b.name() + " (" + b.architecture() + ", " + b.featureWidth() + " features)");
        kv("weights", b.weightSet() + ": " + b.weightsFile() + ", SHA-256 " + b.weightsSha256());
        if (b.adaptedBatchNorm() != null) {
            kv("batch norm", "statistics re-estimated on " + b.adaptedBatchNorm().images() + " training images "
                    + "(--adapt-bn, batches of " + b.adaptedBatchNorm().batchSize() + ")");
        }
        kv("preprocessing", String.format(Locale.ROOT, "resize %d, crop %d%s, mean %s, std %s", p.resize(), p.crop(),
                p.squash() ? " (squash)" : "", java.util.Arrays.toString(p.mean()), java.util.Arrays.toString(p.std())));
        kv("head", m.head().hidden() + " (dropout " + m.head().dropout() + ", " + m.head().inputWidth() + " → "
                + m.head().numClasses() + ")");
        if (t != null) {
            kv("hyper-parameters", String.format(Locale.ROOT, "%s; %d epochs, batch %d, %s lr %s, weight decay %s, seed %d",
                    t.mode(), t.epochs(), t.batchSize(), t.optimizer(), t.learningRate(), t.weightDecay(), t.seed()));
            kv("dataset", t.dataset() + (t.split() == null ? "" : " (" + t.split().layout() + ")"));
        }
        Map<String, String> prov = Manifest.describe(m.provenance());
        kv("machine", String.join(", ", prov.getOrDefault("machine", "not recorded"), prov.getOrDefault("os", "?"),
                "Java " + prov.getOrDefault("java", "?")));
        kv("versions", "transfer4j " + prov.getOrDefault("transfer4j", "?") + ", DJL " + prov.getOrDefault("djl", "?")
                + ", libtorch " + prov.getOrDefault("libtorch", "?") + ", ONNX Runtime " + prov.getOrDefault("onnxruntime", "?"));
        RunRecord run = facts.run();
        if (run != null) {
            kv("choices", String.format(Locale.ROOT, "kept epoch %d of %d run%s (chosen on the validation split, never "
                    + "the test split)", run.bestEpoch(), run.lastEpoch(), run.bestEpoch() == run.lastEpoch() ? "" : ""));
            if (run.validation() != null) {
                kv("validation split", String.format(Locale.ROOT, "accuracy %s on %d images (%s)",
                        pct(run.validation().accuracy()), run.validation().images(), run.validation().scoredBy()));
            }
            if (run.transferCheck() != null) {
                kv("will ImageNet help?", run.transferCheck().message() + ". Advice: " + run.transferCheck().suggestion());
            }
            if (run.parity() != null) {
                kv("export check", String.format(Locale.ROOT, "max |model.onnx − trained model| = %.2g over the %s "
                        + "split's %d images (at most %.0e allowed)", run.parity().maxAbsDifference(), run.parity().split(),
                        run.parity().images(), run.parity().tolerance()));
            }
        }
        kv("unknown", m.unknown() == null ? "no rule: the model always answers one of its classes"
                : m.unknown().describe());
        if (m.semi() != null) {
            kv("unlabeled images", m.semi().summary() + "; folder fingerprint " + m.semi().fingerprint());
        }
        kv("timings", String.format(Locale.ROOT, "features %s, training %.1f s (%d epochs)",
                Double.isNaN(facts.featureSeconds()) ? "not recorded" : String.format(Locale.ROOT, "%.1f s", facts.featureSeconds()),
                facts.trainingSeconds(), facts.history().size()));
        kv("created", prov.getOrDefault("created", "?"));
        html.append("</table>\n");
    }

    private void data(Manifest m, RunFacts facts, Evaluation e) {
        section("data", "Data per class and split");
        html.append("<table><tr><th class=\"l\">class</th><th>train</th><th>validation</th><th>test</th><th>evaluated</th></tr>\n");
        List<Evaluation.ClassMetrics> per = e.perClass();
        for (int c = 0; c < m.classes().size(); c++) {
            html.append("<tr><td class=\"l\">").append(esc(m.classes().get(c))).append("</td><td>")
                    .append(facts.trainCounts()[c]).append("</td><td>").append(facts.validationCounts()[c]).append("</td><td>")
                    .append(facts.testCounts()[c]).append("</td><td>")
                    .append(per.get(c).support()).append("</td></tr>\n");
        }
        html.append("<tr><th class=\"l\">total</th><th>").append(RunFacts.sum(facts.trainCounts())).append("</th><th>")
                .append(RunFacts.sum(facts.validationCounts())).append("</th><th>")
                .append(RunFacts.sum(facts.testCounts())).append("</th><th>").append(e.total()).append("</th></tr></table>\n");
    }

    private void metrics(Evaluation e, String evaluatedOn) {
        section("metrics", "Top-k accuracy and baseline");
        html.append("<p class=\"note\">On ").append(esc(evaluatedOn)).append(".</p>\n<table>")
                .append("<tr><th class=\"l\">measure</th><th>model</th><th>majority-class baseline</th><th>chance</th></tr>\n");
        html.append("<tr><td class=\"l\">accuracy (top-1)</td><td>").append(pct(e.accuracy())).append("</td><td>")
                .append(pct(e.majorityBaseline())).append("</td><td>").append(pct(e.chance())).append("</td></tr>\n");
        for (int k = 2; k <= Math.min(5, e.classes().size()); k++) {
            html.append("<tr><td class=\"l\">top-").append(k).append(" accuracy</td><td>").append(pct(e.topKAccuracy(k)))
                    .append("</td><td>").append(pct(frequentClassesBaseline(e, k))).append("</td><td>")
                    .append(pct(Math.min(1.0, k * e.chance()))).append("</td></tr>\n");
        }
        html.append("<tr><td class=\"l\">balanced accuracy</td><td>").append(pct(e.balancedAccuracy()))
                .append("</td><td>").append(pct(1.0 / e.classes().size())).append("</td><td>").append(pct(e.chance()))
                .append("</td></tr></table>\n");
    }

    private void confusion(Evaluation e, Map<String, byte[]> plots) {
        section("confusion", "Confusion matrix");
        long[][] counts = e.confusion();
        double[][] shares = e.rowNormalised();
        html.append("<p class=\"note\">Rows: true class; columns: predicted class.</p>\n<h3>Counts</h3>\n");
        matrix(e.classes(), counts, null);
        html.append("<h3>Row-normalised</h3>\n");
        matrix(e.classes(), null, shares);
        plot(plots, "confusion.png", "confusion matrix");
    }

    private void matrix(List<String> classes, long[][] counts, double[][] shares) {
        html.append("<table><tr><th class=\"l\">true \\ predicted</th>");
        classes.forEach(c -> html.append("<th>").append(esc(c)).append("</th>"));
        html.append("</tr>\n");
        for (int i = 0; i < classes.size(); i++) {
            html.append("<tr><th class=\"l\">").append(esc(classes.get(i))).append("</th>");
            for (int j = 0; j < classes.size(); j++) {
                html.append("<td>").append(counts != null ? String.valueOf(counts[i][j])
                        : String.format(Locale.ROOT, "%.3f", shares[i][j])).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private void perClass(Evaluation e) {
        section("per-class", "Per-class precision, recall, F1 and support");
        html.append("<table><tr><th class=\"l\">class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
        for (Evaluation.ClassMetrics c : e.perClass()) {
            html.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%d</td></tr>%n",
                    esc(c.name()), c.precision(), c.recall(), c.f1(), c.support()));
        }
        html.append("</table>\n");
    }

    private void confused(Evaluation e) {
        section("most-confused", "Most-confused class pairs");
        List<Evaluation.ConfusedPair> pairs = e.mostConfused(10);
        if (pairs.isEmpty()) {
            html.append("<p>No mistakes: no pair of classes was confused.</p>\n");
            return;
        }
        html.append("<table><tr><th class=\"l\">true</th><th class=\"l\">predicted as</th><th>images</th><th>share of true class</th></tr>\n");
        for (Evaluation.ConfusedPair p : pairs) {
            html.append("<tr><td class=\"l\">").append(esc(p.truth())).append("</td><td class=\"l\">").append(esc(p.predicted()))
                    .append("</td><td>").append(p.count()).append("</td><td>").append(pct(p.rate())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private void gradCam(Gallery gallery) {
        section("grad-cam", "Grad-CAM heatmaps");
        if (gallery.gradCamNote() != null) {
            html.append("<p class=\"warn\">").append(esc(gallery.gradCamNote())).append("</p>\n");
            return;
        }
        html.append("<p class=\"note\">Where the predicted class's score comes from (red: most), over the crop the "
                + "model sees; wrong predictions first, then correct ones.</p>\n<div class=\"grid\">\n");
        for (Gallery.CamTile t : gallery.gradCam()) {
            html.append("<figure class=\"pair").append(t.wrong() ? " wrong" : "").append("\"><img src=\"").append(t.imageUri())
                    .append("\" alt=\"input\"> <img src=\"").append(t.overlayUri()).append("\" alt=\"Grad-CAM\"><figcaption>")
                    .append(esc(t.caption())).append("</figcaption></figure>\n");
        }
        html.append("</div>\n");
    }

    private void tiles(List<Gallery.Tile> tiles) {
        html.append("<div class=\"grid\">\n");
        for (Gallery.Tile t : tiles) {
            html.append("<figure").append(t.wrong() ? " class=\"wrong\"" : "").append("><img src=\"").append(t.uri())
                    .append("\" alt=\"").append(esc(t.caption())).append("\"><figcaption>").append(esc(t.caption()))
                    .append("</figcaption></figure>\n");
        }
        html.append("</div>\n");
    }

    private void plot(Map<String, byte[]> plots, String name, String alt) {
        html.append("<p><img class=\"plot\" src=\"").append(Thumbnails.dataUri("image/png", plots.get(name)))
                .append("\" alt=\"").append(alt).append("\"></p>\n");
    }

    private void section(String id, String title) {
        html.append("<h2 id=\"").append(id).append("\">").append(esc(title)).append("</h2>\n");
    }

    private void kv(String key, String value) {
        html.append("<tr><th class=\"l\">").append(esc(key)).append("</th><td class=\"l\">").append(esc(value)).append("</td></tr>\n");
    }

    /** Accuracy of always guessing the k most frequent classes: top-k's majority baseline. */
    static double frequentClassesBaseline(Evaluation e, int k) {
        long[] supports = e.perClass().stream().mapToLong(Evaluation.ClassMetrics::support).sorted().toArray();
        long sum = 0;
        for (int i = 0; i < k; i++) {
            sum += supports[supports.length - 1 - i];
        }
        return e.total() == 0 ? Double.NaN : (double) sum / e.total();
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
