package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.transfer4j.SharedData;

/**
 * {@code inspect --transfer}: the negative-transfer check in the data doctor's report, through the feature
 * cache the whole test run shares (the CLI's default cache is {@code SharedData.featureCache()}).
 */
@Tag("shared")
class InspectTransferTest {

    @Test
    void fashionMnistIsFarWithThePixelBaselineBesideTheFeatures() throws Exception {
        CliRun run = CliRun.of("inspect", SharedData.dataset("fashion_mnist_small").toString(), "--transfer",
                "--weights-dir", SharedData.pretrained().toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode transfer = null;
        for (JsonNode f : new ObjectMapper().readTree(run.out()).get("findings")) {
            if (f.get("code").asText().equals("transfer")) {
                transfer = f;
            }
        }
        assertThat(transfer).as(run.out()).isNotNull();
        assertThat(transfer.get("severity").asText()).isEqualTo("WARNING");
        assertThat(transfer.get("message").asText()).contains(": far;", "on the features against", "on raw pixels",
                "mean max-softmax");
        assertThat(transfer.get("suggestion").asText()).contains("fine-tune more blocks");
    }

    @Test
    void hymenopteraIsClose() {
        CliRun run = CliRun.of("inspect", SharedData.dataset("hymenoptera").toString(), "--transfer",
                "--weights-dir", SharedData.pretrained().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("NOTE [transfer] transfer check (mobilenet_v2:torchscript-int8, 221 training images): "
                + "close;").contains("fix: ImageNet features suit these images");
        assertThat(run.err()).contains("data check: transfer check");
    }
}
