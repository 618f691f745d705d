package dev.millions.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GrowthTest {

    private static final double[] MINUTES = { 0, 60, 120, 180, 240, 300, 360, 420, 480 };

    @Test
    void fitted_isTheLeastSquaresSlopeTimesTheSpan() {
        assertThat(Growth.fitted(new double[] { 0, 10, 20 }, new double[] { 100, 110, 120 })).isCloseTo(20, within(1e-9));
        assertThat(Growth.fitted(new double[] { 0, 10, 20 }, new double[] { 5, 5, 5 })).isZero();
    }

    @Test
    void steadyClimb_keepsGrowing() {
        double[] rss = new double[MINUTES.length];
        for (int i = 0; i < rss.length; i++) {
            rss[i] = (400 + 8 * i) * 1048576.0;
        }

        assertThat(Growth.RSS.keepsGrowing(MINUTES, rss)).isTrue();
    }

    @Test
    void stepThenFlat_asAPoolReachingItsSize_doesNotCount() {
        double[] rss = { 400, 400, 470, 470, 471, 470, 470, 471, 470 };
        for (int i = 0; i < rss.length; i++) {
            rss[i] *= 1048576.0;
        }

        assertThat(Growth.fitted(MINUTES, rss)).isGreaterThan(Growth.RSS.threshold(rss[0]));
        assertThat(Growth.RSS.keepsGrowing(MINUTES, rss)).isFalse();
    }

    @Test
    void growthBelowTheFloor_doesNotCount() {
        double[] files = { 50, 52, 54, 56, 58, 60, 62, 64, 66 };

        assertThat(Growth.OPEN_FILES.keepsGrowing(MINUTES, files)).isFalse();
    }

    @Test
    void twoSamples_cannotTellAClimbFromAStep() {
        assertThat(Growth.THREADS.keepsGrowing(new double[] { 0, 60 }, new double[] { 10, 1000 })).isFalse();
    }
}
