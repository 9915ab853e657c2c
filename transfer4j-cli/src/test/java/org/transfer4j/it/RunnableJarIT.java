package org.transfer4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as one runnable jar, its completion script and its man pages. */
class RunnableJarIT {

    private static final Path JAR = Path.of(Checkout.property("transfer4j.cliJar"));

    @Test
    void javaJarTrainsOnTheExampleDataset(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        Checkout.Run run = Checkout.run(Checkout.root(),
                Map.of("TRANSFER4J_HOME", tmp.resolve("home").toString(), "TRANSFER4J_OFFLINE", "1"), 600,
                "java", "-Dai.djl.offline=true", "-jar", JAR.toString(), "train", "examples/fashion-mnist",
                "--epochs", "3", "--out", out.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("epoch 3/3");
        assertThat(out.resolve("model.onnx")).isRegularFile();
    }

    @Test
    void theJarNamesTheEmbeddedBackbone(@TempDir Path tmp) throws Exception {
        Checkout.Run run = Checkout.run(tmp, Map.of("TRANSFER4J_HOME", tmp.resolve("home").toString(),
                "TRANSFER4J_OFFLINE", "1"), 120, "java", "-jar", JAR.toString(), "backbones");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).containsPattern("mobilenet_v2.*embedded");
    }

    @Test
    void completionScriptLoadsInBash() throws Exception {
        Path script = Path.of(Checkout.property("transfer4j.completion"));
        Checkout.Run run = Checkout.run(Checkout.root(), Map.of(), 60, "bash", "-c",
                "source '" + script + "' && complete -p transfer4j");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("complete").contains("transfer4j");
    }

    @Test
    void everyCommandHasAManPage() throws Exception {
        Path dir = Path.of(Checkout.property("transfer4j.manDir"));
        try (Stream<Path> pages = Files.list(dir)) {
            assertThat(pages.map(p -> p.getFileName().toString()))
                    .contains("transfer4j.1", "transfer4j-train.1", "transfer4j-predict.1", "transfer4j-serve.1");
        }
        assertThat(Files.readString(dir.resolve("transfer4j-train.1"))).contains(".TH \"TRANSFER4J\\-TRAIN\"");
    }
}
