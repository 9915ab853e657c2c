package org.transfer4j;

import java.util.List;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.data.Sample;
import org.transfer4j.doctor.Finding;
import org.transfer4j.semi.UnlabeledImages;
import org.transfer4j.train.LabelledFeatures;
import org.transfer4j.weights.Backbone;

/**
 * A dataset seen through a frozen backbone: what {@link Transfer#features()} returns, and what both
 * {@link Transfer#fit()} and {@code transfer4j lr-find} start from. Each split's rows follow its list
 * of images, which holds only the images that could be read.
 *
 * @param folder the scanned folder with its three splits
 * @param backbone the loaded backbone that computed the features
 * @param train features of the training images
 * @param validation features of the validation images (carved from the training folder)
 * @param test features of the test images (read by nothing before the final scoring)
 * @param trainImages the training images behind {@code train}'s rows, in row order
 * @param validationImages the validation images behind {@code validation}'s rows
 * @param testImages the test images behind {@code test}'s rows
 * @param trainViews features of augmented views of the training images (same rows and labels as
 *     {@code train}); empty without augmentation
 * @param dataWarnings what the quick data check found
 * @param featureSeconds seconds spent reading images and computing or loading their features
 * @param unlabeled the unlabeled folder's images and features ({@code --unlabeled}); null without one
 * @param calibration the int8 calibration the backbone ran with; null when it ran in float32
 */
public record DatasetFeatures(ImageFolder folder, Backbone backbone, LabelledFeatures train,
                              LabelledFeatures validation, LabelledFeatures test, List<Sample> trainImages,
                              List<Sample> validationImages, List<Sample> testImages,
                              List<LabelledFeatures> trainViews, List<Finding> dataWarnings, double featureSeconds,
                              UnlabeledImages unlabeled,
                              org.transfer4j.exec.Calibration calibration) {

    public DatasetFeatures {
        trainImages = List.copyOf(trainImages);
        validationImages = List.copyOf(validationImages);
        testImages = List.copyOf(testImages);
        trainViews = List.copyOf(trainViews);
        dataWarnings = List.copyOf(dataWarnings);
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
