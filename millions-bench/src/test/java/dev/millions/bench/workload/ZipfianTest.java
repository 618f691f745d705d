package dev.millions.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ZipfianTest {

    @Test
    void rankFrequencies_followOneOverRankToTheS() {
        Zipfian zipf = Zipfian.of(1_000, 0.99, 7);
        SplittableRandom random = new SplittableRandom(42);
        int draws = 400_000;
        int[] counts = new int[1_000];
        for (int i = 0; i < draws; i++) {
            counts[zipf.nextRank(random)]++;
        }

        for (int rank = 0; rank < 5; rank++) {
            assertThat(counts[rank] / (double) draws).as("rank %d", rank)
                                                    .isCloseTo(zipf.probabilityOfRank(rank), within(0.01));
        }
        assertThat(counts[0]).isGreaterThan(counts[9] * 8);
    }

    @Test
    void skewZero_isUniform() {
        Zipfian zipf = Zipfian.of(10, 0, 7);
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) {
            counts[zipf.next(random)]++;
        }

        assertThat(Arrays.stream(counts).boxed()).allSatisfy(count -> assertThat(count).isBetween(9_000, 11_000));
    }

    @Test
    void sameSeeds_drawTheSameItems() {
        Zipfian a = Zipfian.of(500, 0.9, 3);
        Zipfian b = Zipfian.of(500, 0.9, 3);
        SplittableRandom ra = new SplittableRandom(9);
        SplittableRandom rb = new SplittableRandom(9);

        for (int i = 0; i < 1_000; i++) {
            assertThat(a.next(ra)).isEqualTo(b.next(rb));
        }
    }

    @Test
    void skewOfOneOrMore_isRefused() {
        assertThatThrownBy(() -> Zipfian.of(10, 1.0, 1)).hasMessage("skew: 1.0 (expected: >= 0 and < 1)");
    }
}
