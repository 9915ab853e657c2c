package org.transfer4j.realweights;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.transfer4j.SharedData;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.MobileNetV1;
import org.transfer4j.weights.ImagenetLabels;

/**
 * The Coral TFLite MobileNetV1 files, dequantized onto {@link MobileNetV1}: the three classifiers name
 * real photos, and the headless 1.0/224 embedding extractor gives features that separate ants from bees.
 */
@Tag("shared")
class TfliteMobileNetV1PhotosTest {

    private static final String DIR = "coral-tflite/";

    /**
     * File, alpha, input size, and floors: the least share of hymenoptera val photos (ants and bees
     * together) whose top-1 is 'ant' or 'bee', and of cats_dogs test photos given a cat or dog class.
     */
    private record Classifier(String file, double alpha, int size, double hymenopteraFloor, double catDogFloor) {
    }

    /**
     * Floors sit below the shares measured with plain resizing; hymenoptera 0.654, 0.575, 0.307 and
     * cats_dogs 0.792, 0.704, 0.582 (published ImageNet top-1: 66.1 %, 57.2 %, 39.5 %). Chance is 0.001.
     */
    private static final List<Classifier> CLASSIFIERS = List.of(
            new Classifier("mobilenet_v1_0.75_192_quant.tflite", 0.75, 192, 0.6, 0.75),
            new Classifier("mobilenet_v1_0.5_160_quant.tflite", 0.5, 160, 0.5, 0.65),
            new Classifier("mobilenet_v1_0.25_128_quant.tflite", 0.25, 128, 0.25, 0.5));

    private static List<OnnxClassifier> load() {
        Path weights = SharedData.pretrained();
        List<OnnxClassifier> models = new ArrayList<>();
        for (Classifier c : CLASSIFIERS) {
            models.add(new OnnxClassifier(weights.resolve(DIR + c.file()), MobileNetV1.tensorflow(c.alpha(), c.size()),
                    Graph.Outputs.LOGITS));
        }
        return models;
    }

    @Test
    void classifiersNamePhotos() {
        ImagenetLabels labels = ImagenetLabels.fromWeightsFolder(SharedData.pretrained());
        Path val = SharedData.dataset("hymenoptera").resolve("val");
        Path test = SharedData.dataset("cats_dogs").resolve("test");
        List<OnnxClassifier> models = load();
        try {
            List<int[]> ants = ImagenetTopOne.topOne(models, val.resolve("ants"));
            List<int[]> bees = ImagenetTopOne.topOne(models, val.resolve("bees"));
            List<int[]> cats = ImagenetTopOne.topOne(models, test.resolve("cats"));
            List<int[]> dogs = ImagenetTopOne.topOne(models, test.resolve("dogs"));
            for (int m = 0; m < models.size(); m++) {
                Classifier c = CLASSIFIERS.get(m);
                int classes = models.get(m).width();
                assertThat(classes).isEqualTo(1001);
                double antShare = ImagenetTopOne.share(ants.get(m), ImagenetTopOne.named(labels, "ant", classes));
                double beeShare = ImagenetTopOne.share(bees.get(m), ImagenetTopOne.named(labels, "bee", classes));
                double catShare = ImagenetTopOne.share(cats.get(m),
                        ImagenetTopOne.inRange(ImagenetTopOne.FIRST_CAT, ImagenetTopOne.LAST_CAT, classes));
                double dogShare = ImagenetTopOne.share(dogs.get(m),
                        ImagenetTopOne.inRange(ImagenetTopOne.FIRST_DOG, ImagenetTopOne.LAST_DOG, classes));
                double hymenoptera = (antShare * ants.get(m).length + beeShare * bees.get(m).length)
                        / (ants.get(m).length + bees.get(m).length);
                double catDog = (catShare * cats.get(m).length + dogShare * dogs.get(m).length)
                        / (cats.get(m).length + dogs.get(m).length);
                System.out.printf("%s: hymenoptera %.3f ('ant' %.3f of %d ants, 'bee' %.3f of %d bees); "
                        + "cats_dogs %.3f (cats %.3f, dogs %.3f)%n", c.file(), hymenoptera, antShare,
                        ants.get(m).length, beeShare, bees.get(m).length, catDog, catShare, dogShare);
                assertThat(hymenoptera).as(c.file() + " ants and bees").isGreaterThanOrEqualTo(c.hymenopteraFloor());
                assertThat(catDog).as(c.file() + " cats_dogs").isGreaterThanOrEqualTo(c.catDogFloor());
            }
        } finally {
            models.forEach(OnnxClassifier::close);
        }
    }

    @Test
    void embeddingExtractorFeaturesSeparateAntsFromBees() {
        Path hymenoptera = SharedData.dataset("hymenoptera");
        Path file = SharedData.pretrained().resolve(DIR + "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite");
        try (OnnxClassifier extractor = new OnnxClassifier(file, MobileNetV1.tensorflowFeatures(1.0, 224),
                Graph.Outputs.FEATURES)) {
            assertThat(extractor.width()).isEqualTo(1024);
            float[] antCentre = NearestCentroid.centroid(extractor, hymenoptera.resolve("train/ants"));
            float[] beeCentre = NearestCentroid.centroid(extractor, hymenoptera.resolve("train/bees"));
            double ants = NearestCentroid.shareCloserTo(extractor, hymenoptera.resolve("val/ants"), antCentre, beeCentre);
            double bees = NearestCentroid.shareCloserTo(extractor, hymenoptera.resolve("val/bees"), beeCentre, antCentre);
            System.out.printf("embedding extractor, nearest train centroid on hymenoptera val: ants %.3f, bees %.3f%n",
                    ants, bees);
            assertThat(ants).isGreaterThan(0.8);
            assertThat(bees).isGreaterThan(0.8);
        }
    }
}
