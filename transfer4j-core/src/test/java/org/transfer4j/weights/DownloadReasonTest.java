package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** A failed download says why in words: a refused connection carries no message, and "(null)" helps nobody. */
class DownloadReasonTest {

    @Test
    void everyFailureHasAReason() {
        assertThat(WeightStore.reason(new ConnectException())).contains("offline").doesNotContain("null");
        assertThat(WeightStore.reason(new UnknownHostException("download.pytorch.org")))
                .contains("unknown host download.pytorch.org");
        assertThat(WeightStore.reason(new IOException("HTTP 404"))).isEqualTo("HTTP 404");
        assertThat(WeightStore.reason(new IOException())).isEqualTo("IOException");
    }
}
