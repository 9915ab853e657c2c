package org.transfer4j;

import java.util.List;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.data.Sample;
import org.transfer4j.train.LabelledFeatures;
import org.transfer4j.weights.Backbone;

/**
 * A dataset seen through a frozen backbone: what {@link Transfer#features()} returns, and what both
 * {@link Transfer#train()} and {@code transfer4j lr-find} start from.
 *
 * @param folder the scanned folder with its split
 * @param backbone the loaded backbone that computed the features
 * @param train features of the training images that could be read
 * @param test features of the test images that could be read
 * @param trainImages the training images behind {@code train}'s rows, in row order
 * @param testImages the test images behind {@code test}'s rows, in row order
 * @param trainViews features of augmented views of the training images (same rows and labels as
 *     {@code train}, which is view 0); empty without augmentation
 */
public record DatasetFeatures(ImageFolder folder, Backbone backbone, LabelledFeatures train, LabelledFeatures test,
                              List<Sample> trainImages, List<Sample> testImages, List<LabelledFeatures> trainViews) {

    public DatasetFeatures {
        trainImages = List.copyOf(trainImages);
        testImages = List.copyOf(testImages);
        trainViews = List.copyOf(trainViews);
    }

    /** Without augmented views. */
    public DatasetFeatures(ImageFolder folder, Backbone backbone, LabelledFeatures train, LabelledFeatures test,
                           List<Sample> trainImages, List<Sample> testImages) {
        this(folder, backbone, train, test, trainImages, testImages, List.of());
    }

    /** The training features of epoch e (from 1): view (e - 1) mod views when augmented, else {@code train}. */
    public LabelledFeatures trainOfEpoch(int epoch) {
        return trainViews.isEmpty() ? train : trainViews.get(Math.floorMod(epoch - 1, trainViews.size()));
    }

    /** Number of classes of the folder. */
    public int numClasses() {
        return folder.classNames().size();
    }
}
