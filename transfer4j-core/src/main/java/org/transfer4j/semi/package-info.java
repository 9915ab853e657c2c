/**
 * Learning from images nobody labelled: semi-supervised training of the head and suggestions of what to
 * label next.
 *
 * <ul>
 *   <li>{@link org.transfer4j.semi.LabelSpreading}: label spreading (Zhou et al. 2004) on a kNN graph of
 *       L2-normalised features, as scikit-learn's {@code LabelSpreading(kernel='knn')};
 *   <li>{@link org.transfer4j.semi.PseudoLabelling}: rounds of confident pseudo labels;
 *   <li>{@link org.transfer4j.semi.SemiSupervision}: runs either, choosing its settings on the
 *       validation split only, and returns the weighted training set the head trains on (with the one
 *       {@code train.GraphTrainer}, through {@link org.transfer4j.semi.HeadTraining});
 *   <li>{@link org.transfer4j.semi.Suggestions}: margin uncertainty combined with k-center-greedy
 *       diversity; {@link org.transfer4j.semi.LabelSuggester} runs it for a trained model on a folder or an
 *       index ({@code transfer4j suggest}).
 * </ul>
 */
package org.transfer4j.semi;
