package org.transfer4j.unlabeled;

import java.io.PrintStream;
import org.transfer4j.SharedData;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.weights.BackboneLoader;
import org.transfer4j.weights.WeightStore;

/** The embedder the CLI uses by default (mobilenet_v2 from ../shared/pretrained), on the suite's shared feature cache. */
public final class SharedEmbedder {

    private SharedEmbedder() {
    }

    /** A quiet embedder; skips the test when ../shared is missing (fails it under CI=true). */
    public static Embedder mobilenetV2() {
        return new Embedder(BackboneLoader.load("mobilenet_v2", null, WeightStore.fromEnvironment(SharedData.pretrained())),
                SharedData.featureCache(), BatchLoader.Options.defaults().withProgress(false),
                new PrintStream(PrintStream.nullOutputStream()));
    }
}
