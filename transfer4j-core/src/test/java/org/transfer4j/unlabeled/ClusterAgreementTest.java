package org.transfer4j.unlabeled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Accuracy after matching, NMI and ARI against hand-computed and scikit-learn's documented values. */
class ClusterAgreementTest {

    @Test
    void relabelledPartitionAgreesFully() {
        ClusterAgreement a = ClusterAgreement.of(new int[] {0, 0, 1, 1, 2, 2}, new int[] {2, 2, 0, 0, 1, 1});
        assertThat(a.accuracy()).isEqualTo(1.0);
        assertThat(a.nmi()).isCloseTo(1.0, within(1e-12));
        assertThat(a.ari()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void refinedPartition() {
        // scikit-learn's docs: adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.5714285714285715;
        // NMI (arithmetic): ln 2 / ((ln 2 + 1.5 ln 2) / 2) = 0.8; best matching leaves one row out: 0.75
        ClusterAgreement a = ClusterAgreement.of(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 2});
        assertThat(a.ari()).isCloseTo(0.5714285714285715, within(1e-12));
        assertThat(a.nmi()).isCloseTo(0.8, within(1e-12));
        assertThat(a.accuracy()).isEqualTo(0.75);
    }

    @Test
    void matchingIsOneToOneNotMajority() {
        // both clusters are mostly class 0: majority voting would say 5/6, a one-to-one matching 4/6
        ClusterAgreement a = ClusterAgreement.of(new int[] {0, 0, 0, 0, 1, 1}, new int[] {0, 0, 0, 1, 1, 0});
        assertThat(a.accuracy()).isCloseTo(4 / 6.0, within(1e-12));
    }
}
