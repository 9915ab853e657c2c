package org.transfer4j.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.transfer4j.select.BackboneRanking.Candidate;
import org.transfer4j.select.BackboneRanking.Score;

/** Issue 14: the recommendation (LogME, as measured) and the other rules, by mean rank. */
class BackboneRankingTest {

    private static Candidate c(String name, double logMe, double top1) {
        return new Candidate(name, name + ":w", 256, 100, logMe, 0.5, top1, 10, 1);
    }

    @Test
    void meanRankOfTop1AndLogMe() {
        // a: top-1 rank 1, LogME rank 3 -> 2; b: 2 and 1 -> 1.5; c: 3 and 2 -> 2.5
        BackboneRanking.Result r = new BackboneRanking(BackboneRanking.Rule.TOP1_AND_LOGME).rank(List.of(
                c("a", -0.9, 76), c("b", -0.2, 72), c("c", -0.5, 70)));
        assertThat(r.rule()).isEqualTo(BackboneRanking.Rule.TOP1_AND_LOGME);
        assertThat(r.ranked()).extracting(x -> x.candidate().backbone()).containsExactly("b", "a", "c");
        assertThat(r.ranked()).extracting(BackboneRanking.Ranked::meanRank).containsExactly(1.5, 2.0, 2.5);
        assertThat(r.ranked()).extracting(BackboneRanking.Ranked::position).containsExactly(1, 2, 3);
        assertThat(r.reason()).contains("b has the best mean rank (1.50)").contains("ImageNet top-1 72.00, rank 2 of 3")
                .contains("LogME -0.2000, rank 1 of 3");
    }

    @Test
    void aMissingTop1RanksLastAndTiesGoToLogMe() {
        BackboneRanking.Result r = new BackboneRanking(BackboneRanking.Rule.TOP1_AND_LOGME).rank(
                List.of(c("known", -0.5, 60), c("unknown", -0.4, Double.NaN)));
        // known: 1 and 2 -> 1.5; unknown: 2 and 1 -> 1.5; the tie goes to the higher LogME
        assertThat(r.ranked()).extracting(x -> x.candidate().backbone()).containsExactly("unknown", "known");
        assertThat(r.scores()).containsExactly(Score.IMAGENET_TOP1, Score.LOGME);
    }

    @Test
    void aScoreUnknownForAllIsLeftOut() {
        BackboneRanking.Result r = new BackboneRanking(BackboneRanking.Rule.TOP1_AND_LOGME)
                .rank(List.of(c("x", -0.7, Double.NaN), c("y", -0.1, Double.NaN)));
        assertThat(r.scores()).containsExactly(Score.LOGME);
        assertThat(r.recommended().candidate().backbone()).isEqualTo("y");
        assertThat(r.recommended().meanRank()).isEqualTo(1.0);
        assertThat(r.reason()).contains("ImageNet top-1 unknown for every candidate");
        BackboneRanking.Result top1Only = new BackboneRanking(BackboneRanking.Rule.IMAGENET_TOP1)
                .rank(List.of(c("x", -0.7, Double.NaN), c("y", -0.1, Double.NaN)));
        assertThat(top1Only.scores()).as("nothing known: LogME decides").containsExactly(Score.LOGME);
    }

    @Test
    void theRecommendationIsLogMeAloneAsMeasured() {
        // the highest ImageNet top-1 has the lowest LogME: LogME decides
        BackboneRanking.Result r = new BackboneRanking().rank(List.of(c("a", -0.9, 76), c("b", -0.2, 60),
                c("c", -0.5, 70)));
        assertThat(BackboneRanking.RECOMMENDED_RULE).isEqualTo(BackboneRanking.Rule.LOGME);
        assertThat(r.rule()).isEqualTo(BackboneRanking.Rule.LOGME);
        assertThat(r.scores()).containsExactly(Score.LOGME);
        assertThat(r.ranked()).extracting(x -> x.candidate().backbone()).containsExactly("b", "c", "a");
    }
}
