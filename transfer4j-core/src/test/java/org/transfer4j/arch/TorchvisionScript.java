package org.transfer4j.arch;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.transfer4j.SharedData;
import org.transfer4j.TestRequirements;

/** Runs one of the test-resource Python scripts with Debian's torch/torchvision python. */
final class TorchvisionScript {

    private static final long TIMEOUT_MINUTES = 10;

    private TorchvisionScript() {
    }

    /**
     * Runs {@code python/<script>} with the output folder and model names as arguments; skips the
     * calling test when the reference python is not installed ({@link TestRequirements}), fails when
     * the script fails.
     */
    static void run(String script, Path outDir, List<String> names) throws IOException, InterruptedException {
        String python = SharedData.python();
        TestRequirements.require(Files.isExecutable(Path.of(python)), "the reference python at " + python
                + " (apt-get install python3-torch python3-torchvision)");
        List<String> command = new ArrayList<>(List.of(python, resource("python/" + script).toString(),
                outDir.toString()));
        command.addAll(names);
        Path log = outDir.resolve(script + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " ran over " + TIMEOUT_MINUTES + " minutes");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "):\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private static Path resource(String name) {
        URL url = TorchvisionScript.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
