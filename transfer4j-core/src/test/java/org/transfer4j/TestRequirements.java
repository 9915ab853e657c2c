package org.transfer4j;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;

/**
 * What a test does when something it needs outside the JVM is missing (python3-torch, torchvision or
 * PIL, chromium, the ../shared datasets or weights): on a developer's machine it is skipped; under
 * {@code CI=true} it fails, so that CI cannot go green by skipping ({@code .ci/run} installs everything).
 */
public final class TestRequirements {

    private static final TestRequirements ENVIRONMENT = new TestRequirements(System.getenv());

    private final boolean ci;

    /** The rule for an environment; tests of the rule pass their own map. */
    TestRequirements(Map<String, String> environment) {
        this.ci = "true".equalsIgnoreCase(environment.get("CI"));
    }

    /**
     * Requires a dependency of the calling test.
     *
     * @param present whether it is there
     * @param what what is missing and how to get it, e.g. "chromium (apt-get install chromium)"
     * @throws org.opentest4j.TestAbortedException when absent outside CI (the test is skipped)
     * @throws org.opentest4j.AssertionFailedError when absent under {@code CI=true} (the test fails)
     */
    public static void require(boolean present, String what) {
        ENVIRONMENT.check(present, what);
    }

    /**
     * For a part of a test that can be left out on a developer's machine: whether the dependency is there;
     * under {@code CI=true} its absence fails the test instead.
     */
    public static boolean optional(boolean present, String what) {
        return ENVIRONMENT.checkOptional(present, what);
    }

    void check(boolean present, String what) {
        if (!present && ci) {
            fail("missing under CI=true: " + what);
        }
        assumeTrue(present, "missing, test skipped (it fails under CI=true): " + what);
    }

    boolean checkOptional(boolean present, String what) {
        if (!present && ci) {
            fail("missing under CI=true: " + what);
        }
        return present;
    }
}
