package org.transfer4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checkout under test, its README, and child processes run in a folder with a given environment. */
final class Checkout {

    /** A finished child process: exit code and its stdout and stderr together. */
    record Run(int exitCode, String output) {
    }

    private Checkout() {
    }

    /** The checkout's root (the pom passes it). */
    static Path root() {
        return Path.of(System.getProperty("transfer4j.root", "..")).toAbsolutePath().normalize();
    }

    static String property(String name) {
        String value = System.getProperty(name);
        assertThat(value).as("system property " + name + " (set by the pom)").isNotNull();
        return value;
    }

    /** The README's fenced code blocks of a language ("" for plain blocks), in order. */
    static List<String> readmeBlocks(String language) throws IOException {
        String readme = Files.readString(root().resolve("README.md"));
        Matcher m = Pattern.compile("```" + Pattern.quote(language) + "\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** The two commands of the README's "Set-up on a fresh machine" section: run the main job, run the tests. */
    static List<String> setUpCommands() throws IOException {
        String readme = Files.readString(root().resolve("README.md"));
        int start = readme.indexOf("## Set-up on a fresh machine");
        assertThat(start).as("README has a set-up section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Matcher m = Pattern.compile("```\\n(.*?)\\n```", Pattern.DOTALL).matcher(section);
        List<String> commands = new ArrayList<>();
        while (m.find()) {
            commands.add(m.group(1).strip());
        }
        return commands;
    }

    /** Runs a command in a folder, with extra environment variables, and waits for it (at most the limit). */
    static Run run(Path dir, Map<String, String> env, long limitSeconds, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile("transfer4j-it", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " ran past " + limitSeconds + " s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(p.exitValue(), output);
    }
}
