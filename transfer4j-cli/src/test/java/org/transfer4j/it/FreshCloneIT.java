package org.transfer4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first hour: a clean clone of the committed repository in a folder with no
 * {@code ../shared} beside it and no weights anywhere, where the README's first command (exactly as
 * written there) builds the project, trains on the example dataset with the embedded backbone, prints
 * its epochs and writes a bundle with its report.
 */
class FreshCloneIT {

    @Test
    void readmeFirstCommandWorksOnACleanCloneWithNothingBesideIt(@TempDir Path tmp) throws Exception {
        List<String> commands = Checkout.setUpCommands();
        assertThat(commands).as("exactly two set-up commands: the main job and the tests").hasSize(2);
        String mainJob = commands.get(0);

        Path clone = tmp.resolve("transfer4j");
        Checkout.Run cloned = Checkout.run(tmp, Map.of(), 120, "git", "clone", "-q", "--no-hardlinks",
                Checkout.root().toUri().toString(), clone.toString());
        assertThat(cloned.exitCode()).as(cloned.output()).isZero();
        assertThat(clone.resolveSibling("shared")).doesNotExist();

        Map<String, String> env = Map.of("TRANSFER4J_HOME", tmp.resolve("home").toString(),
                "TRANSFER4J_OFFLINE", "1");
        Checkout.Run run = Checkout.run(clone, env, 900, "bash", "-c", mainJob);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("epoch 1/").contains("test accuracy");
        Path bundle = clone.resolve(mainJob.replaceAll(".*--out\\s+(\\S+).*", "$1"));
        assertThat(bundle.resolve("report.html")).isRegularFile();
        assertThat(bundle.resolve("model.onnx")).isRegularFile();
        assertThat(Files.readString(bundle.resolve("manifest.json"))).contains("mobilenet_v2");
    }
}
