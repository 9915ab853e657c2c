package org.transfer4j;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the read-only data beside the checkout: {@code ../shared} (datasets and
 * pretrained weights), or the folder named by {@code TRANSFER4J_SHARED}.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The shared folder. */
    public static Path root() {
        String env = System.getenv("TRANSFER4J_SHARED");
        Path p = env != null ? Path.of(env) : Path.of(System.getProperty("user.dir")).resolve("../shared");
        return p.toAbsolutePath().normalize();
    }

    /** A dataset folder, e.g. {@code dataset("hymenoptera")}; skips the test when absent. */
    public static Path dataset(String name) {
        Path p = root().resolve("datasets").resolve(name);
        assumeTrue(Files.isDirectory(p), "no dataset at " + p);
        return p;
    }

    /** The pretrained-weights folder; skips the test when absent. */
    public static Path pretrained() {
        Path p = root().resolve("pretrained");
        assumeTrue(Files.isDirectory(p), "no pretrained weights at " + p);
        return p;
    }

    /**
     * The feature cache shared by the whole test run ({@code $TRANSFER4J_HOME/features}), so that each
     * dataset goes through each backbone once per run.
     */
    public static Path featureCache() {
        String home = System.getenv("TRANSFER4J_HOME");
        Path root = home != null ? Path.of(home) : Path.of(System.getProperty("user.dir"), "target", "transfer4j-home");
        return root.resolve("features");
    }

    /** Debian's python3 with torch and torchvision (not a pyenv shim). */
    public static String python() {
        return "/usr/bin/python3";
    }
}
