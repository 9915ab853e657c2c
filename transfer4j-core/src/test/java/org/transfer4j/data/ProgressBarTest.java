package org.transfer4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void terminalRedrawsOneLineAtMostTenTimesASecond() {
        ProgressBar bar = new ProgressBar("images", 1000, out, true, now::get);
        now.addAndGet(50_000_000L);
        bar.advance(10);
        assertThat(text()).isEmpty();
        now.addAndGet(1_950_000_000L);
        bar.advance(190);
        assertThat(text()).startsWith("\r").contains("images 200/1000  20.0% 100.0/s ETA 0:08").doesNotContain("\n");
        now.addAndGet(8_000_000_000L);
        bar.advance(800);
        bar.close();
        assertThat(text()).contains("\rimages 1000/1000 100.0% 100.0/s took 0:10").endsWith(System.lineSeparator());
    }

    @Test
    void logsGetALineEveryTenSeconds() {
        ProgressBar bar = new ProgressBar("images", 100, out, false, now::get);
        for (int i = 0; i < 30; i++) {
            now.addAndGet(1_000_000_000L);
            bar.advance(1);
        }
        bar.close();
        bar.close();
        assertThat(text().lines()).containsExactly(
                "images 10/100  10.0% 1.0/s ETA 1:30",
                "images 20/100  20.0% 1.0/s ETA 1:20",
                "images 30/100  30.0% 1.0/s ETA 1:10",
                "images 30/100  30.0% 1.0/s ETA 1:10");
        assertThat(text()).doesNotContain("\r");
    }
}
