package org.transfer4j.semi;

import org.transfer4j.arch.Graph;
import org.transfer4j.train.BlockBoundaries;
import org.transfer4j.train.GraphTrainer;
import org.transfer4j.train.TrainConfig;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.weights.Weights;

/**
 * Trains a fresh head on feature rows and scores other rows with it: what pseudo-labelling repeats each
 * round. {@link #onFeatures} is the real one, the one {@link GraphTrainer} with the cut at the features.
 */
@FunctionalInterface
public interface HeadTraining {

    /**
     * Trains a fresh head and returns its class probabilities for each row of {@code score}.
     *
     * @param train the rows to train on, with labels and (optional) weights
     * @param score rows to score afterwards
     */
    float[][] trainAndPredict(GraphTrainer.CutData train, float[][] score);

    /**
     * A fresh head of {@code config}'s shape (seeded by its seed) trained by the one {@link GraphTrainer}
     * on rows of backbone features, for {@code config}'s epochs; the last epoch is kept (nothing is chosen
     * on the validation split here).
     *
     * @param backbone the backbone graph (only its feature output's width is read: the cut is at the features)
     * @param featureWidth the width of a feature row
     * @param numClasses the number of classes
     */
    static HeadTraining onFeatures(TrainConfig config, Graph backbone, int featureWidth, int numClasses) {
        return (train, score) -> {
            TrainedHead head = TrainedHead.initial(config.head(), featureWidth, numClasses, config.seed());
            Graph classifier = head.onTopOf(backbone);
            BlockBoundaries.Cut cut = BlockBoundaries.atFeatures(backbone);
            GraphTrainer.Result r = new GraphTrainer(config, GraphTrainer.Stage.head(config)).fit(classifier,
                    new Weights(head.weights()), cut, train, new GraphTrainer.CutData(new float[0][], new int[0]), null,
                    "", e -> { });
            return GraphTrainer.probabilities(classifier, r.weights(), cut,
                    new GraphTrainer.CutData(score, new int[score.length]));
        };
    }
}
