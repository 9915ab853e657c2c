package org.transfer4j.arch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The small helpers the architecture files carry beside their graphs. */
class FamilyHelpersTest {

    @Test
    void denseNetLegacyKeysGetTheirModernNames() {
        assertThat(DenseNet.modernKey("features.denseblock1.denselayer1.norm.1.weight"))
                .isEqualTo("features.denseblock1.denselayer1.norm1.weight");
        assertThat(DenseNet.modernKey("features.denseblock3.denselayer24.conv.2.weight"))
                .isEqualTo("features.denseblock3.denselayer24.conv2.weight");
        assertThat(DenseNet.modernKey("features.denseblock2.denselayer12.norm.2.running_var"))
                .isEqualTo("features.denseblock2.denselayer12.norm2.running_var");
    }

    @Test
    void denseNetModernAndOtherKeysStayAsTheyAre() {
        for (String key : new String[] {"features.denseblock1.denselayer1.norm1.weight",
            "features.transition1.norm.weight", "features.norm5.bias", "classifier.weight",
            "features.denseblock1.denselayer1.norm.3.weight"}) {
            assertThat(DenseNet.modernKey(key)).isEqualTo(key);
        }
    }

    @Test
    void denseNetLegacyNamesCoverEveryRenamedParameter() {
        long renamed = DenseNet.densenet121().parameters().keySet().stream()
                .filter(k -> k.matches(".*denselayer\\d+\\.(norm|conv)[12]\\..*"))
                .filter(k -> DenseNet.modernKey(k.replaceAll("\\.(norm|conv)([12])\\.", ".$1.$2.")).equals(k))
                .count();
        // 58 dense layers × (norm1 4 + conv1 1 + norm2 4 + conv2 1) parameters
        assertThat(renamed).isEqualTo(58 * 10);
    }

    @Test
    void makeDivisibleRoundsLikeTorchvision() {
        assertThat(MobileNetV3.makeDivisible(4, 8)).isEqualTo(8);      // never below the divisor
        assertThat(MobileNetV3.makeDivisible(18, 8)).isEqualTo(24);    // 16 would lose over 10%
        assertThat(MobileNetV3.makeDivisible(30, 8)).isEqualTo(32);
        assertThat(MobileNetV3.makeDivisible(240, 8)).isEqualTo(240);
    }
}
