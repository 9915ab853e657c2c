package org.transfer4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Learning-rate factors at known points of each schedule. */
class ScheduleTest {

    @Test
    void cosineWithWarmupRisesThenAnnealsToZero() {
        Schedule s = new Schedule("cosine", 0.1);
        assertThat(s.factor(0, 100)).isCloseTo(0.1, within(1e-9));
        assertThat(s.factor(9, 100)).isCloseTo(1.0, within(1e-9));
        assertThat(s.factor(55, 100)).isCloseTo(0.5, within(1e-9));
        assertThat(s.factor(100, 100)).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void oneCyclePeaksAtThirtyPercent() {
        Schedule s = new Schedule("onecycle", 0);
        assertThat(s.factor(0, 100)).isCloseTo(0.04, within(1e-9));
        assertThat(s.factor(30, 100)).isCloseTo(1.0, within(1e-9));
        assertThat(s.factor(100, 100)).isCloseTo(1e-4, within(1e-9));
        assertThat(s.factor(20, 100)).isLessThan(s.factor(29, 100));
    }

    @Test
    void stepDividesByTenTwice() {
        Schedule s = new Schedule("step", 0);
        assertThat(s.factor(49, 100)).isEqualTo(1.0);
        assertThat(s.factor(50, 100)).isCloseTo(0.1, within(1e-12));
        assertThat(s.factor(80, 100)).isCloseTo(0.01, within(1e-12));
        assertThat(Schedule.constant().factor(77, 100)).isEqualTo(1.0);
    }

    @Test
    void rejectsUnknownKinds() {
        assertThatThrownBy(() -> new Schedule("cos", 0)).hasMessageContaining("constant, cosine, step, onecycle");
        assertThatThrownBy(() -> new Schedule("cosine", 1.0)).hasMessageContaining("--warmup");
    }
}
