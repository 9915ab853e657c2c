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
 * Decode + preprocess images/s (torchvision's ImageNet recipe) over a dataset's train, validation and
 * test images with the BatchLoader. The first pass (1 thread) runs in a fresh JVM ("cold": class
 * loading and JIT compilation included); then every requested thread count is timed again ("warm").
 * Not a test: run by bench/run.sh and bench/decode.sh. Usage: {@code DecodeBench DATA THREADS...}
 */
public final class DecodeBench {

    private DecodeBench() {
    }

    public static void main(String[] args) {
        ImageFolder folder = ImageFolder.scan(Path.of(args[0]));
        List<Sample> all = new ArrayList<>(folder.trainAndValidation());
        all.addAll(folder.test());
        time(all, 1, "cold");
        for (int i = 1; i < args.length; i++) {
            time(all, Integer.parseInt(args[i]), "warm");
        }
    }

    private static void time(List<Sample> all, int threads, String pass) {
        BatchLoader.Options options = BatchLoader.Options.defaults().withThreads(threads).withProgress(false);
        long start = System.nanoTime();
        int n = 0;
        try (BatchLoader loader = new BatchLoader(all, Preprocessing.imagenet(), options)) {
            while (loader.hasNext()) {
                n += loader.next().size();
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"pass\": \"%s\", \"threads\": %d, \"images\": %d, \"images_per_s\": %.1f}%n",
                pass, threads, n, n / s);
    }
}
