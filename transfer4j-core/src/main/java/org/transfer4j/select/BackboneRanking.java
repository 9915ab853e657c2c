package org.transfer4j.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Orders backbones by a rule over their scores (LogME, kNN accuracy, ImageNet top-1): each score
 * ranks the backbones (1 = best; ties share their mean rank; a missing score ranks last), and the
 * rule's scores are combined by the mean of their ranks, lower first.
 *
 * <p>Which rule predicts the accuracy after training best was measured ({@code bench/rank.sh}: 8
 * weight sets ranked and trained, frozen, 3 seeds, on hymenoptera, cats_dogs and
 * fashion_mnist_small): LogME alone ranked best, mean weighted τ 0.678, against kNN 0.610, ImageNet
 * top-1 0.449 and top-1 with LogME 0.442. {@link #RECOMMENDED_RULE} is therefore LogME.
 */
public final class BackboneRanking {

    /** The rule {@code transfer4j rank} recommends by: the measured best, see the class comment. */
    public static final Rule RECOMMENDED_RULE = Rule.LOGME;

    /** Said wherever the recommendation is shown: why the rule is what it is. */
    public static final String RULE_NOTE = "the rule is LogME: of LogME, kNN accuracy, ImageNet top-1 and top-1 with "
            + "LogME it ranked trained accuracy best in bench/rank.sh (mean weighted tau 0.678 over three data sets)";

    /** A per-backbone score; higher is better for each. */
    public enum Score {
        /** {@link LogMe}'s evidence per image. */
        LOGME("LogME", Candidate::logMe),
        /** {@link KnnAccuracy}'s leave-one-out accuracy. */
        KNN("kNN accuracy", Candidate::knnAccuracy),
        /** The published ImageNet top-1 of the weights, a prior that needs no images. */
        IMAGENET_TOP1("ImageNet top-1", Candidate::imagenetTop1);

        private final String label;
        private final ToDoubleFunction<Candidate> value;

        Score(String label, ToDoubleFunction<Candidate> value) {
            this.label = label;
            this.value = value;
        }

        /** The name shown to people. */
        public String label() {
            return label;
        }

        /** This score of a candidate (NaN when missing). */
        public double of(Candidate c) {
            return value.applyAsDouble(c);
        }
    }

    /** Which scores decide the order, combined by the mean of their ranks. */
    public enum Rule {
        /** LogME alone. */
        LOGME(Score.LOGME),
        /** kNN accuracy alone. */
        KNN(Score.KNN),
        /** ImageNet top-1 alone. */
        IMAGENET_TOP1(Score.IMAGENET_TOP1),
        /** ImageNet top-1 and LogME, mean rank. */
        TOP1_AND_LOGME(Score.IMAGENET_TOP1, Score.LOGME),
        /** All three, mean rank. */
        ALL(Score.IMAGENET_TOP1, Score.LOGME, Score.KNN);

        private final List<Score> scores;

        Rule(Score... scores) {
            this.scores = List.of(scores);
        }

        /** The scores the rule combines. */
        public List<Score> scores() {
            return scores;
        }
    }

    /**
     * One backbone's measurements.
     *
     * @param backbone the name it is chosen by ({@code mobilenet_v2}, or a features file's name)
     * @param weights which weights were used ({@code mobilenet_v2:tflite-quant}, or the file)
     * @param featureWidth features per image
     * @param images images scored
     * @param logMe LogME score
     * @param knnAccuracy leave-one-out kNN accuracy
     * @param imagenetTop1 published ImageNet top-1 in percent, NaN when unknown
     * @param imagesPerSecond images per second of the feature extraction, NaN when not measured
     * @param seconds seconds spent on this backbone (features and scores)
     */
    public record Candidate(String backbone, String weights, int featureWidth, int images, double logMe,
                            double knnAccuracy, double imagenetTop1, double imagesPerSecond, double seconds) {
    }

    /**
     * A candidate's place.
     *
     * @param position 1 for the recommended backbone
     * @param candidate the measurements
     * @param meanRank the mean of its ranks under the rule (lower is better)
     * @param ranks its rank by each score the order used, in {@link Result#scores()} order
     */
    public record Ranked(int position, Candidate candidate, double meanRank, List<Double> ranks) {

        public Ranked {
            ranks = List.copyOf(ranks);
        }
    }

    /**
     * The order.
     *
     * @param rule the rule that made it
     * @param scores the rule's scores that decided: those known for at least one candidate (a score
     *     unknown for all, such as ImageNet top-1 of features from files, orders nothing and is left
     *     out; when none is left, LogME decides)
     * @param ranked best first
     */
    public record Result(Rule rule, List<Score> scores, List<Ranked> ranked) {

        public Result {
            scores = List.copyOf(scores);
            ranked = List.copyOf(ranked);
        }

        /** The first backbone of the order. */
        public Ranked recommended() {
            return ranked.get(0);
        }

        /** One sentence on why the first backbone comes first, with its scores and ranks. */
        public String reason() {
            Ranked best = recommended();
            List<String> parts = new ArrayList<>();
            for (int s = 0; s < scores.size(); s++) {
                Score score = scores.get(s);
                double v = score.of(best.candidate());
                parts.add(String.format(Locale.ROOT, "%s %s, rank %s of %d", score.label(),
                        Double.isNaN(v) ? "unknown" : String.format(Locale.ROOT, "%.4g", v),
                        trim(best.ranks().get(s)), ranked.size()));
            }
            String left = rule.scores().stream().filter(x -> !scores.contains(x)).map(Score::label)
                    .reduce((a, b) -> a + ", " + b).map(x -> " (" + x + " unknown for every candidate: left out)")
                    .orElse("");
            return String.format(Locale.ROOT, "%s has the best mean rank (%s) of %s%s", best.candidate().backbone(),
                    trim(best.meanRank()), String.join("; ", parts), left);
        }

        private static String trim(double rank) {
            return rank == Math.rint(rank) ? String.valueOf((long) rank) : String.format(Locale.ROOT, "%.2f", rank);
        }
    }

    private final Rule rule;

    /** Orders by {@link #RECOMMENDED_RULE}. */
    public BackboneRanking() {
        this(RECOMMENDED_RULE);
    }

    /** Orders by the given rule. */
    public BackboneRanking(Rule rule) {
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /**
     * Orders the candidates: mean rank under the rule, then higher LogME, then name.
     *
     * @throws IllegalArgumentException when there are no candidates
     */
    public Result rank(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no backbones to rank; give at least one");
        }
        int n = candidates.size();
        List<Score> used = rule.scores().stream()
                .filter(s -> candidates.stream().anyMatch(c -> !Double.isNaN(s.of(c)))).toList();
        if (used.isEmpty()) {
            used = List.of(Score.LOGME);
        }
        double[][] ranks = new double[used.size()][];
        for (int s = 0; s < ranks.length; s++) {
            double[] negated = new double[n];
            for (int i = 0; i < n; i++) {
                double v = used.get(s).of(candidates.get(i));
                negated[i] = Double.isNaN(v) ? Double.POSITIVE_INFINITY : -v; // missing ranks last
            }
            ranks[s] = SpearmanRho.averageRanks(negated);
        }
        List<Ranked> unordered = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Double> own = new ArrayList<>();
            double sum = 0;
            for (double[] r : ranks) {
                own.add(r[i]);
                sum += r[i];
            }
            unordered.add(new Ranked(0, candidates.get(i), sum / ranks.length, own));
        }
        unordered.sort(Comparator.comparingDouble(Ranked::meanRank)
                .thenComparing(r -> -r.candidate().logMe())
                .thenComparing(r -> r.candidate().backbone()));
        List<Ranked> ordered = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            Ranked r = unordered.get(p);
            ordered.add(new Ranked(p + 1, r.candidate(), r.meanRank(), r.ranks()));
        }
        return new Result(rule, used, ordered);
    }
}
