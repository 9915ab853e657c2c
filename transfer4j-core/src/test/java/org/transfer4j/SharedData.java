package org.transfer4j;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the read-only data beside the checkout: {@code ../shared} (datasets and
 * pretrained weights), or the folder named by {@code TRANSFER4J_SHARED}; and the feature cache the
 * whole suite shares.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The shared folder. */
    public static Path root() {
        String env = System.getenv("TRANSFER4J_SHARED");
        Path p = env != null ? Path.of(env) : checkout().resolve("../shared");
        return p.toAbsolutePath().normalize();
    }

    /**
     * The checkout's root (README.md, examples/): the pom passes it as {@code transfer4j.root}; a test
     * run from an IDE in the module folder falls back to the folder above it.
     */
    public static Path checkout() {
        String property = System.getProperty("transfer4j.root");
        Path p = property != null ? Path.of(property) : Path.of(System.getProperty("user.dir")).resolve("..");
        return p.toAbsolutePath().normalize();
    }

    /**
     * A dataset folder, e.g. {@code dataset("hymenoptera")}; skips the test when absent (fails it under
     * {@code CI=true}: {@link TestRequirements}).
     */
    public static Path dataset(String name) {
        Path p = root().resolve("datasets").resolve(name);
        TestRequirements.require(Files.isDirectory(p), "dataset " + name + " at " + p);
        return p;
    }

    /** The pretrained-weights folder; skips the test when absent (fails it under {@code CI=true}). */
    public static Path pretrained() {
        Path p = root().resolve("pretrained");
        TestRequirements.require(Files.isDirectory(p), "pretrained weights at " + p);
        return p;
    }

    /**
     * The feature cache shared by the whole test run, so that each dataset goes through each backbone
     * once: {@code $TRANSFER4J_HOME/features} (the pom sets {@code TRANSFER4J_HOME} to
     * {@code target/transfer4j-home}, so the CLI's default cache is this one too), else
     * {@code target/transfer4j-home/features}. Tests that need an empty cache use their own.
     */
    public static Path featureCache() {
        String env = System.getenv("TRANSFER4J_HOME");
        Path home = env != null ? Path.of(env) : Path.of(System.getProperty("user.dir"), "target", "transfer4j-home");
        return home.resolve("features").toAbsolutePath().normalize();
    }

    /** Debian's python3 with torch and torchvision (not a pyenv shim). */
    public static String python() {
        return "/usr/bin/python3";
    }
}
