package org.transfer4j.unlabeled;

import java.io.PrintStream;
import org.transfer4j.SharedData;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.weights.BackboneLoader;
import org.transfer4j.weights.WeightStore;

/**
 * The embedder of the embedded default weights ({@code mobilenet_v2:tflite-quant}, here from
 * ../shared/pretrained), on the suite's shared feature cache: the weight set {@code --min-cosine}'s
 * default was calibrated on. (With ../shared beside it, a plain {@code mobilenet_v2} resolves to the
 * more accurate TorchScript set instead.)
 */
public final class SharedEmbedder {

    private SharedEmbedder() {
    }

    /** A quiet embedder; skips the test when ../shared is missing (fails it under CI=true). */
    public static Embedder mobilenetV2() {
        return new Embedder(BackboneLoader.load("mobilenet_v2:tflite-quant", null, WeightStore.fromEnvironment(SharedData.pretrained())),
                SharedData.featureCache(), BatchLoader.Options.defaults().withProgress(false),
                new PrintStream(PrintStream.nullOutputStream()));
    }
}
