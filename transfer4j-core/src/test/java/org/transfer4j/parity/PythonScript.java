package org.transfer4j.parity;

import static org.junit.jupiter.api.Assertions.fail;

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

/**
 * Runs one of the reference scripts in {@code src/test/resources/python/} with Debian's python3
 * (torch + torchvision). Skips the calling test when that python or its packages are missing
 * (the scripts exit with 3 then; under {@code CI=true} it fails: {@link TestRequirements}); fails it,
 * with the script's output, on any other error.
 */
public final class PythonScript {

    private static final int MISSING_PACKAGES = 3;

    private PythonScript() {
    }

    /** Runs {@code script} with {@code args}, waiting at most {@code timeoutSeconds}. */
    public static void run(String script, List<String> args, long timeoutSeconds) {
        Path python = Path.of(SharedData.python());
        TestRequirements.require(Files.isExecutable(python), python + " (apt-get install python3)");
        List<String> command = new ArrayList<>(List.of(python.toString(), resource(script).toString()));
        command.addAll(args);
        try {
            Path log = Files.createTempFile("python-", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail(script + " did not finish in " + timeoutSeconds + " s");
                }
                String output = Files.readString(log, StandardCharsets.UTF_8);
                TestRequirements.require(p.exitValue() != MISSING_PACKAGES,
                        "python3-torch, python3-torchvision, python3-sklearn (apt-get install them): " + output);
                if (p.exitValue() != 0) {
                    fail(script + " failed with exit code " + p.exitValue() + ":\n" + output);
                }
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            fail("could not run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while running " + script);
        }
    }

    private static Path resource(String script) {
        URL url = PythonScript.class.getResource("/python/" + script);
        if (url == null) {
            throw new IllegalStateException("no test resource python/" + script);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
