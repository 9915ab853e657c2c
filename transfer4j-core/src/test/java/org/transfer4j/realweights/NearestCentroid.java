package org.transfer4j.realweights;

import java.nio.file.Path;
import java.util.List;

/** The simplest classifier on backbone features: the mean feature vector of each class. */
final class NearestCentroid {

    private NearestCentroid() {
    }

    /** Mean feature vector of the photos in a folder. */
    static float[] centroid(OnnxClassifier extractor, Path folder) {
        float[] sum = new float[extractor.width()];
        List<Path> files = PhotoBatches.photos(folder);
        PhotoBatches.forEachBatch(files, batch -> {
            for (float[] row : extractor.run(batch)) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += row[i];
                }
            }
        });
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= files.size();
        }
        return sum;
    }

    /** Share of the folder's photos whose features lie closer to {@code own} than to {@code other}. */
    static double shareCloserTo(OnnxClassifier extractor, Path folder, float[] own, float[] other) {
        List<Path> files = PhotoBatches.photos(folder);
        int[] hits = {0};
        PhotoBatches.forEachBatch(files, batch -> {
            for (float[] row : extractor.run(batch)) {
                if (distance(row, own) < distance(row, other)) {
                    hits[0]++;
                }
            }
        });
        return (double) hits[0] / files.size();
    }

    private static double distance(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return d;
    }
}
