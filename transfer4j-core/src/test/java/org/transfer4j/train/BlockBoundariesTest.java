package org.transfer4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transfer4j.arch.Architectures;
import org.transfer4j.arch.Graph;

/** Block boundaries per family, and where the cut below the unfrozen blocks falls. */
class BlockBoundariesTest {

    private static List<String> numbered(String prefix, int from, int to) {
        List<String> names = new ArrayList<>();
        for (int k = from; k <= to; k++) {
            names.add(prefix + k);
        }
        return names;
    }

    @Test
    void mobileNetV2HasEighteenBlocksInBothStyles() {
        assertThat(BlockBoundaries.of(Architectures.build("mobilenet_v2"))).isEqualTo(numbered("features.", 1, 18));
        assertThat(BlockBoundaries.of(Architectures.build("mobilenet_v2_tf"))).isEqualTo(numbered("features.", 1, 18));
    }

    @Test
    void resNetHasOneBlockPerResidualBlock() {
        assertThat(BlockBoundaries.of(Architectures.build("resnet18"))).containsExactly(
                "layer1.0", "layer1.1", "layer2.0", "layer2.1", "layer3.0", "layer3.1", "layer4.0", "layer4.1");
        List<String> resnet50 = BlockBoundaries.of(Architectures.build("resnet50"));
        assertThat(resnet50).hasSize(3 + 4 + 6 + 3).startsWith("layer1.0").endsWith("layer4.1", "layer4.2");
    }

    @Test
    void cutsBelowTheLowestUnfrozenBlock() {
        Graph mobile = Architectures.build("mobilenet_v2_tf");
        BlockBoundaries.Cut two = BlockBoundaries.cut(mobile, 2);
        assertThat(two.trainablePrefixes()).containsExactly("features.17.", "features.18.");
        assertThat(two.shape()).containsExactly(160, 7, 7);
        assertThat(two.key()).isEqualTo("features.17");
        // features.15 adds its input to its output: the cut is that sum, not a value inside the block
        BlockBoundaries.Cut four = BlockBoundaries.cut(mobile, 4);
        assertThat(four.shape()).containsExactly(160, 7, 7);
        assertThat(four.nodesAbove()).isGreaterThan(two.nodesAbove());

        Graph resnet = Architectures.build("resnet18");
        BlockBoundaries.Cut layer4 = BlockBoundaries.cut(resnet, 2);
        assertThat(layer4.trainablePrefixes()).containsExactly("layer4.0.", "layer4.1.");
        assertThat(layer4.shape()).containsExactly(256, 14, 14);
        assertThat(layer4.key()).isEqualTo("layer4.0");
        BlockBoundaries.Cut last = BlockBoundaries.cut(resnet, 1);
        assertThat(last.trainablePrefixes()).containsExactly("layer4.1.");
        assertThat(last.shape()).containsExactly(512, 7, 7);
    }

    @Test
    void refusesToUnfreezeMoreBlocksThanThereAre() {
        Graph resnet = Architectures.build("resnet18");
        assertThatThrownBy(() -> BlockBoundaries.cut(resnet, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 8");
        assertThatThrownBy(() -> BlockBoundaries.cut(resnet, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
