package org.transfer4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The job's partition count: whole waves of task slots, at most MAX_IMAGES_PER_PARTITION images each. */
class PartitionCountTest {

    private static final int MAX = SparkFeatureExtraction.MAX_IMAGES_PER_PARTITION;

    @Test
    void aSmallFolderIsOneWave() {
        assertThat(SparkFeatureExtraction.partitions(1500, 2)).isEqualTo(2);
        assertThat(SparkFeatureExtraction.partitions(0, 3)).isEqualTo(3);
        assertThat(SparkFeatureExtraction.partitions(1500, 240)).isEqualTo(240);
    }

    @Test
    void largerFoldersTakeWholeWavesOfAtMostTheLimit() {
        assertThat(SparkFeatureExtraction.partitions(1500, 1)).isEqualTo(2);
        assertThat(SparkFeatureExtraction.partitions(6000, 2)).isEqualTo(6);
        assertThat(SparkFeatureExtraction.partitions(2L * MAX, 2)).isEqualTo(2);
        assertThat(SparkFeatureExtraction.partitions(2L * MAX + 1, 2)).isEqualTo(4);
        int parts = SparkFeatureExtraction.partitions(10_000_000, 240);
        assertThat(parts % 240).isZero();
        assertThat(10_000_000.0 / parts).isLessThanOrEqualTo(MAX).isGreaterThan(MAX - 240 * 0.1);
    }
}
