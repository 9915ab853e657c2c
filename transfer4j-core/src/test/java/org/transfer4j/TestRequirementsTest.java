package org.transfer4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The rule for missing test dependencies, with the environment injected (not the real one). */
class TestRequirementsTest {

    private static final TestRequirements CI = new TestRequirements(Map.of("CI", "true"));
    private static final TestRequirements LOCAL = new TestRequirements(Map.of());

    @Test
    void underCiAMissingDependencyFailsTheTestInsteadOfSkippingIt() {
        assertThatThrownBy(() -> CI.check(false, "chromium (apt-get install chromium)"))
                .isInstanceOf(AssertionFailedError.class).isNotInstanceOf(TestAbortedException.class)
                .hasMessageContaining("CI=true").hasMessageContaining("chromium (apt-get install chromium)");
        assertThatThrownBy(() -> CI.checkOptional(false, "chromium")).isInstanceOf(AssertionFailedError.class);
    }

    @Test
    void outsideCiAMissingDependencySkipsTheTest() {
        assertThatThrownBy(() -> LOCAL.check(false, "python3-torch")).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("python3-torch");
        assertThat(LOCAL.checkOptional(false, "chromium")).isFalse();
        assertThatThrownBy(() -> new TestRequirements(Map.of("CI", "false")).check(false, "x"))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void aPresentDependencyPassesEverywhere() {
        assertThatCode(() -> CI.check(true, "python3-torch")).doesNotThrowAnyException();
        assertThatCode(() -> LOCAL.check(true, "python3-torch")).doesNotThrowAnyException();
        assertThat(CI.checkOptional(true, "chromium")).isTrue();
    }
}
