/**
 * Choosing a backbone before training: transferability estimators computed from a backbone's
 * features in seconds, and rank statistics that say how well a score orders backbones.
 *
 * <ul>
 *   <li>{@link org.transfer4j.select.LogMe}: the exact log marginal evidence of a Bayesian linear
 *       model on the features (LogME, You et al., ICML 2021), in float64 via the thin SVD.</li>
 *   <li>{@link org.transfer4j.select.KnnAccuracy}: leave-one-out weighted kNN accuracy on
 *       L2-normalised features, as in DINO's evaluation protocol.</li>
 *   <li>{@link org.transfer4j.select.BackboneRanking}: per-backbone scores combined into one
 *       recommended order (the rule, LogME, chosen by bench/rank.sh).</li>
 *   <li>{@link org.transfer4j.select.TransferCheck}: the negative-transfer check (will ImageNet help on
 *       this folder?): kNN on the features against the raw-pixel {@link org.transfer4j.select.PixelBaseline},
 *       and how ImageNet-like the images look to the weights' {@link org.transfer4j.select.ImagenetHead}.</li>
 *   <li>{@link org.transfer4j.select.WeightedKendallTau} and {@link org.transfer4j.select.SpearmanRho}:
 *       how well one ranking agrees with another (scores against measured accuracy).</li>
 * </ul>
 *
 * <p>The estimators follow scikit-learn's shape: settings go in the constructor, {@code fit} returns
 * an immutable result, and nothing is kept between calls. None of them draws random numbers, so the
 * same input always gives the same result; there is no seed to set.
 */
package org.transfer4j.select;
