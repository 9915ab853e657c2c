package org.transfer4j.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DuplicateFinderTest {

    @Test
    void bandedSearchFindsExactlyThePairsBruteForceFinds() {
        Random random = new Random(6);
        List<PerceptualHash> hashes = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            hashes.add(new PerceptualHash(random.nextLong(), random.nextLong(), 50));
        }
        for (int i = 0; i < 200; i++) { // planted neighbours at distances 0..20
            PerceptualHash h = hashes.get(random.nextInt(1500));
            long r = h.rows();
            long c = h.columns();
            int flips = random.nextInt(21);
            for (int f = 0; f < flips; f++) {
                int bit = random.nextInt(128);
                if (bit < 64) {
                    r ^= 1L << bit;
                } else {
                    c ^= 1L << (bit - 64);
                }
            }
            hashes.add(new PerceptualHash(r, c, 50));
        }
        List<String> shas = new ArrayList<>(Collections.nCopies(hashes.size(), null));
        for (int i = 0; i < shas.size(); i++) {
            shas.set(i, "sha" + i);
        }
        for (int maxDistance : new int[] {0, 5, 12, 20}) {
            List<DuplicateFinder.Pair> banded = new DuplicateFinder(maxDistance).near(hashes, shas);
            List<DuplicateFinder.Pair> brute = new ArrayList<>();
            for (int i = 0; i < hashes.size(); i++) {
                for (int j = i + 1; j < hashes.size(); j++) {
                    int d = hashes.get(i).distance(hashes.get(j));
                    if (d <= maxDistance) {
                        brute.add(new DuplicateFinder.Pair(i, j, d, false));
                    }
                }
            }
            assertThat(banded).as("distance %d", maxDistance).isEqualTo(brute);
            if (maxDistance == 12) {
                assertThat(brute).hasSizeGreaterThan(50);
            }
        }
    }

    @Test
    void exactGroupsGiveEveryPairAndFlatImagesAreNotNearDuplicates() {
        assertThat(DuplicateFinder.exact(List.of("a", "b", "a", "a")))
                .containsExactly(new DuplicateFinder.Pair(0, 2, 0, true), new DuplicateFinder.Pair(0, 3, 0, true),
                        new DuplicateFinder.Pair(2, 3, 0, true));
        PerceptualHash flat = new PerceptualHash(0, 0, 0.1);
        assertThat(new DuplicateFinder(12).near(List.of(flat, flat), List.of("x", "y"))).isEmpty();
    }
}
