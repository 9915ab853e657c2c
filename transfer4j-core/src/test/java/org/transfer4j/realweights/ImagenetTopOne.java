package org.transfer4j.realweights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.transfer4j.weights.ImagenetLabels;

/** Top-1 ImageNet classes of several classifiers over the photos of a folder, each photo decoded once. */
final class ImagenetTopOne {

    /** ImageNet's domestic cat classes (tabby .. Egyptian cat) in the 1000-class order. */
    static final int FIRST_CAT = 281;
    static final int LAST_CAT = 285;
    /** The whole cat family: domestic cats plus cougar, lynx, leopards, jaguar, lion, tiger, cheetah. */
    static final int LAST_FELID = 293;
    /** ImageNet's dog breeds (Chihuahua .. Mexican hairless) in the 1000-class order. */
    static final int FIRST_DOG = 151;
    static final int LAST_DOG = 268;

    private ImagenetTopOne() {
    }

    /** For each model, the top-1 class of every photo in {@code folder} (sorted by file name). */
    static List<int[]> topOne(List<OnnxClassifier> models, Path folder) {
        List<Path> files = PhotoBatches.photos(folder);
        List<int[]> result = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            result.add(new int[files.size()]);
        }
        int[] done = {0};
        PhotoBatches.forEachBatch(files, batch -> {
            for (int m = 0; m < models.size(); m++) {
                float[][] logits = models.get(m).run(batch);
                for (int i = 0; i < logits.length; i++) {
                    result.get(m)[done[0] + i] = OnnxClassifier.argmax(logits[i]);
                }
            }
            done[0] += batch.size();
        });
        return result;
    }

    static double share(int[] top1, IntPredicate hit) {
        long hits = java.util.Arrays.stream(top1).filter(hit).count();
        return (double) hits / top1.length;
    }

    /** Whether a class of a {@code numClasses}-output model lies in a 1000-class index range. */
    static IntPredicate inRange(int first, int last, int numClasses) {
        int offset = numClasses == 1001 ? 1 : 0;
        return c -> c >= first + offset && c <= last + offset;
    }

    /** Whether a class's first label name is exactly {@code name} ("ant", "bee"). */
    static IntPredicate named(ImagenetLabels labels, String name, int numClasses) {
        return c -> labels.shortLabel(c, numClasses).equals(name);
    }
}
