package org.transfer4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.transfer4j.select.BackboneRanking;
import org.transfer4j.select.BackboneRanking.Candidate;
import org.transfer4j.select.KnnAccuracy;

/** How {@code transfer4j rank} shows a ranking: the table on stdout and the record in rank.json. */
final class RankOutput {

    private RankOutput() {
    }

    /** The table, best first, then the recommendation and why the rule is what it is. */
    static void printTable(PrintStream out, BackboneRanking.Result result) {
        int nameWidth = "backbone".length();
        int weightsWidth = "weights".length();
        for (BackboneRanking.Ranked r : result.ranked()) {
            nameWidth = Math.max(nameWidth, r.candidate().backbone().length());
            weightsWidth = Math.max(weightsWidth, r.candidate().weights().length());
        }
        String text = "%4s  %-" + nameWidth + "s  %-" + weightsWidth + "s %9s %9s %7s %7s %8s %9s %8s%n";
        String numbers = "%4d  %-" + nameWidth + "s  %-" + weightsWidth + "s %9.2f %9.4f %7.4f %7s %8d %9s %8.1f%n";
        out.printf(text, "rank", "backbone", "weights", "mean rank", "LogME", "kNN", "top-1", "features",
                "images/s", "seconds");
        for (BackboneRanking.Ranked r : result.ranked()) {
            Candidate c = r.candidate();
            out.printf(Locale.ROOT, numbers, r.position(), c.backbone(), c.weights(), r.meanRank(), c.logMe(),
                    c.knnAccuracy(),
                    Double.isNaN(c.imagenetTop1()) ? "-" : String.format(Locale.ROOT, "%.1f%%", c.imagenetTop1()),
                    c.featureWidth(), Double.isNaN(c.imagesPerSecond()) ? "-"
                            : String.format(Locale.ROOT, "%.1f", c.imagesPerSecond()), c.seconds());
        }
        out.println();
        out.println("recommended: " + result.recommended().candidate().backbone() + " (" + result.reason() + ")");
        out.println("(" + BackboneRanking.RULE_NOTE + ")");
    }

    /** What rank.json holds besides the inputs: the rule, the recommendation, and every backbone's row. */
    static Map<String, Object> record(BackboneRanking.Result result, List<Map<String, String>> failed) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rule", result.rule().name());
        r.put("ruleScores", result.rule().scores().stream().map(BackboneRanking.Score::label).toList());
        r.put("scoresUsed", result.scores().stream().map(BackboneRanking.Score::label).toList());
        r.put("recommendedRule", result.rule() == BackboneRanking.RECOMMENDED_RULE);
        r.put("note", BackboneRanking.RULE_NOTE);
        r.put("recommended", result.recommended().candidate().backbone());
        r.put("reason", result.reason());
        Map<String, Object> knn = new LinkedHashMap<>();
        knn.put("k", KnnAccuracy.DEFAULT_K);
        knn.put("temperature", KnnAccuracy.DEFAULT_TEMPERATURE);
        knn.put("protocol", "leave-one-out, L2-normalised features, cosine similarity, votes weighted exp(sim/T)");
        r.put("knn", knn);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BackboneRanking.Ranked ranked : result.ranked()) {
            Candidate c = ranked.candidate();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("position", ranked.position());
            row.put("backbone", c.backbone());
            row.put("weights", c.weights());
            row.put("meanRank", ranked.meanRank());
            row.put("ranks", ranked.ranks());
            row.put("logMe", c.logMe());
            row.put("knnAccuracy", c.knnAccuracy());
            row.put("imagenetTop1", finiteOrNull(c.imagenetTop1()));
            row.put("featureWidth", c.featureWidth());
            row.put("images", c.images());
            row.put("imagesPerSecond", finiteOrNull(c.imagesPerSecond()));
            row.put("seconds", c.seconds());
            rows.add(row);
        }
        r.put("backbones", rows);
        r.put("failed", failed);
        return r;
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
