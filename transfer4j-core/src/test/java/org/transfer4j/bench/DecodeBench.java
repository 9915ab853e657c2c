package org.transfer4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.data.Sample;

/**
 * Decode + preprocess images/s (torchvision's ImageNet recipe) over a dataset with the BatchLoader,
 * for 1 and 2 threads. Not a test: run by bench/run.sh. Usage: {@code DecodeBench DATA THREADS...}
 */
public final class DecodeBench {

    private DecodeBench() {
    }

    public static void main(String[] args) {
        ImageFolder folder = ImageFolder.scan(Path.of(args[0]));
        List<Sample> all = new ArrayList<>(folder.train());
        all.addAll(folder.test());
        for (int i = 1; i < args.length; i++) {
            int threads = Integer.parseInt(args[i]);
            BatchLoader.Options options = BatchLoader.Options.defaults().withThreads(threads).withProgress(false);
            long start = System.nanoTime();
            int n = 0;
            try (BatchLoader loader = new BatchLoader(all, Preprocessing.imagenet(), options)) {
                while (loader.hasNext()) {
                    n += loader.next().size();
                }
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "{\"threads\": %d, \"images\": %d, \"images_per_s\": %.1f}%n", threads, n, n / s);
        }
    }
}
