package org.transfer4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The repository holds code, and of data only what the project ships on purpose: the embedded default
 * backbone and the example dataset under {@code examples/}. Any other tracked file over 500 KB fails.
 */
class TrackedDataTest {

    private static final long LIMIT = 500 * 1024;
    private static final String EMBEDDED =
            "transfer4j-mobilenet-v2/src/main/resources/org/transfer4j/embedded/mobilenet_v2_1.0_224_quant.tflite";

    @Test
    void onlyTheEmbeddedBackboneAndTheExamplesAreLarge() throws Exception {
        Path root = SharedData.checkout();
        List<String> tracked = gitLsFiles(root);
        List<String> large = new ArrayList<>();
        for (String file : tracked) {
            Path p = root.resolve(file);
            if (Files.isRegularFile(p) && Files.size(p) > LIMIT) {
                large.add(file);
            }
        }
        assertThat(large).as("tracked files over 500 KB").containsExactly(EMBEDDED);
        assertThat(tracked.stream().filter(f -> f.startsWith("examples/fashion-mnist/") && f.endsWith(".png")))
                .as("the example dataset").hasSize(1500);
        assertThat(tracked).contains("examples/fashion-mnist/LICENSE", "examples/README.md",
                "transfer4j-mobilenet-v2/src/main/resources/org/transfer4j/embedded/LICENSE",
                "transfer4j-mobilenet-v2/src/main/resources/org/transfer4j/embedded/ORIGIN.md");
    }

    private static List<String> gitLsFiles(Path root) throws IOException, InterruptedException {
        boolean gitCheckout = Files.exists(root.resolve(".git"));
        TestRequirements.require(gitCheckout, "a git checkout at " + root);
        Process p = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "-z").redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        return List.of(new String(out, StandardCharsets.UTF_8).split("\0"));
    }
}
