package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;

/**
 * A plain {@code --backbone mobilenet_v2} uses the most accurate of its weight sets found on the machine
 * (published ImageNet top-1), whatever their order in the table; when none is here, the embedded set, else the
 * first in table order (downloaded).
 */
class DefaultWeightSetTest {

    @TempDir
    Path tmp;

    @Test
    void setsAreOrderedByPublishedTopOneWithUnpublishedLast() {
        List<String> order = WeightRegistry.byAccuracy("mobilenet_v2").stream().map(WeightSet::tag).toList();
        assertThat(order).containsExactly("torchvision", "torchscript-int8", "tflite-quant", "tflite-tf2-ptq");
        assertThat(WeightRegistry.setsOf("mobilenet_v2").get(0).tag()).as("downloaded when none is here")
                .isEqualTo("tflite-quant");
    }

    @Test
    @Tag("shared")
    void theMostAccurateLocalSetIsUsed() throws IOException {
        Path shared = SharedData.pretrained();
        Path dir = Files.createDirectories(tmp.resolve("weights"));
        Path home = tmp.resolve("home");
        copy(dir, shared.resolve("coral-tflite/tf2_mobilenet_v2_1.0_224_ptq.tflite"));
        assertThat(used(dir, home)).as("the only one here, though its top-1 is unpublished").isEqualTo("tflite-tf2-ptq");
        copy(dir, shared.resolve("coral-tflite/mobilenet_v2_1.0_224_quant.tflite"));
        assertThat(used(dir, home)).isEqualTo("tflite-quant");
        copy(dir, shared.resolve("pytorch-mobilenet_v2-quantized/mobilenet_quantized.pt"));
        assertThat(used(dir, home)).as("71.658 % beats 70.8 %").isEqualTo("torchscript-int8");
        WeightStore store = new WeightStore(dir, home, true);
        assertThat(store.resolve("mobilenet_v2").file().getFileName().toString()).isEqualTo("mobilenet_quantized.pt");

        assertThat(new WeightStore(shared, home, true).resolve("mobilenet_v2").set().tag())
                .as("the shared folder holds all three").isEqualTo("torchscript-int8");
    }

    @Test
    @Tag("shared")
    void aPinnedWeightSetIsUsedEvenWhenAMoreAccurateOneIsHere() {
        WeightStore store = new WeightStore(SharedData.pretrained(), tmp.resolve("home"), true);
        assertThat(WeightRegistry.setsOf("mobilenet_v2:tflite-quant")).extracting(WeightSet::tag).containsExactly("tflite-quant");
        WeightStore.Resolved pinned = store.resolve("mobilenet_v2:tflite-quant");
        assertThat(pinned.set().id()).isEqualTo("mobilenet_v2:tflite-quant");
        assertThat(pinned.file().getFileName().toString()).isEqualTo("mobilenet_v2_1.0_224_quant.tflite");
        assertThat(store.choice("mobilenet_v2:tflite-tf2-ptq").map(WeightSet::id)).contains("mobilenet_v2:tflite-tf2-ptq");
        assertThatThrownBy(() -> WeightRegistry.setsOf("mobilenet_v2:nope")).isInstanceOf(WeightsException.class)
                .hasMessageContaining("unknown weight set 'mobilenet_v2:nope'").hasMessageContaining("mobilenet_v2:torchscript-int8");
    }

    @Test
    void withNothingHereTheEmbeddedSetIsTheChoice() {
        WeightStore offline = new WeightStore(tmp, tmp.resolve("home"), true);
        assertThat(offline.choice("mobilenet_v2").map(WeightSet::tag)).contains("tflite-quant");
        assertThat(offline.choice("resnet18")).as("offline, nothing here, nothing embedded").isEmpty();
        WeightStore online = new WeightStore(tmp, tmp.resolve("home"), false);
        assertThat(online.choice("resnet18").map(WeightSet::tag)).contains("torchvision");
    }

    private static String used(Path dir, Path home) {
        WeightStore store = new WeightStore(dir, home, true);
        String tag = store.choice("mobilenet_v2").orElseThrow().tag();
        assertThat(store.resolve("mobilenet_v2").set().tag()).isEqualTo(tag);
        return tag;
    }

    private static void copy(Path dir, Path file) throws IOException {
        Files.copy(file, dir.resolve(file.getFileName()));
    }
}
