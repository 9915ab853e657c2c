package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default backbone works with no weights folder, no cache and no network: its file comes from the
 * {@code transfer4j-mobilenet-v2} artifact on the class path, verified and copied into the cache once.
 */
class EmbeddedWeightsTest {

    private static final WeightSet EMBEDDED = WeightRegistry.setsOf("mobilenet_v2").get(0);

    @Test
    void theDefaultBackboneIsEmbeddedAndResolvesOffline(@TempDir Path home, @TempDir Path emptyFolder) {
        WeightStore store = new WeightStore(emptyFolder, home, true);
        assertThat(WeightStore.isEmbedded(EMBEDDED)).isTrue();
        assertThat(store.status(EMBEDDED)).isEqualTo(WeightStore.Status.EMBEDDED);

        WeightStore.Resolved resolved = store.resolve("mobilenet_v2");

        assertThat(resolved.set()).isEqualTo(EMBEDDED);
        assertThat(resolved.file()).isEqualTo(home.resolve("weights").resolve(EMBEDDED.fileName()));
        assertThat(WeightStore.sha256(resolved.file())).isEqualTo(EMBEDDED.sha256());
        assertThat(store.status(EMBEDDED)).isEqualTo(WeightStore.Status.CACHED);
        assertThat(home.resolve("weights").toFile().list()).containsExactly(EMBEDDED.fileName());
    }

    @Test
    void onlyTheDefaultBackboneIsEmbedded(@TempDir Path home) {
        WeightStore store = new WeightStore(null, home, true);
        for (String backbone : WeightRegistry.backbones()) {
            for (WeightSet set : WeightRegistry.setsOf(backbone)) {
                assertThat(store.status(set) == WeightStore.Status.EMBEDDED).as(set.id()).isEqualTo(set == EMBEDDED);
            }
        }
    }

    @Test
    void offlineWithoutWeightsSaysWhatToDoInOneSentence(@TempDir Path home) {
        WeightStore store = new WeightStore(null, home, true);
        assertThatThrownBy(() -> store.resolve("resnet18"))
                .isInstanceOf(WeightsException.class)
                .hasMessageContaining("resnet18-f37072fd.pth")
                .hasMessageContaining("https://download.pytorch.org/models/resnet18-f37072fd.pth")
                .hasMessageContaining("--weights-dir")
                .hasMessageNotContaining("null")
                .satisfies(e -> assertThat(e.getMessage().lines().count()).isOne());
    }
}
