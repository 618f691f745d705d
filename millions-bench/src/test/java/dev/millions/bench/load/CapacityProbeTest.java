package dev.millions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CapacityProbeTest {

    private final CapacityProbe probe = CapacityProbe.of(Duration.ofMillis(250), Duration.ofSeconds(1), 20, 5_000,
                                                         Duration.ofSeconds(10));

    @Test
    void climbsGeometrically_untilAStepIsLost_thenNarrowsOnceBetween() throws Exception {
        List<CapacityProbe.Step> seen = new ArrayList<>();

        CapacityProbe.Result result = probe.climb(holdsUpTo(130), seen::add);

        assertThat(result.steps()).isEqualTo(seen).extracting(CapacityProbe.Step::rate)
                                  .containsExactly(20.0, 30.0, 45.0, 67.5, 101.25, 151.875, Math.sqrt(101.25 * 151.875));
        assertThat(result.capacity()).isCloseTo(Math.sqrt(101.25 * 151.875), within(1e-9));
    }

    @Test
    void aLostStepBetween_leavesTheLastRateHeld() throws Exception {
        assertThat(probe.climb(holdsUpTo(110), step -> { }).capacity()).isEqualTo(101.25);
    }

    @Test
    void aSystemFasterThanTheMaximum_isHeldAtTheMaximum() throws Exception {
        CapacityProbe capped = CapacityProbe.of(Duration.ofMillis(250), Duration.ofSeconds(1), 20, 40,
                                                Duration.ofSeconds(10));

        CapacityProbe.Result result = capped.climb(holdsUpTo(1_000), step -> { });

        assertThat(result.steps()).extracting(CapacityProbe.Step::rate).containsExactly(20.0, 30.0, 40.0);
        assertThat(result.capacity()).isEqualTo(40);
    }

    @Test
    void failedRequests_loseTheStep_howeverFastTheyAnswer() throws Exception {
        OperationSource failing = random -> new Operation() {
            @Override
            public String name() {
                return "work";
            }

            @Override
            public Outcome call() {
                return Outcome.error("http 500");
            }
        };

        CapacityProbe.Result result = probe.find(failing, 1, step -> { });

        assertThat(result.capacity()).isZero();
        assertThat(result.steps()).hasSize(4).allSatisfy(step -> {
            assertThat(step.held()).isFalse();
            assertThat(step.errors()).isPositive();
            assertThat(step.toString()).startsWith("20 ops/s: ").endsWith("errors -> lost");
        });
    }

    @Test
    void aColdSystem_getsMoreTriesAtTheFirstRate() throws Exception {
        int[] calls = { 0 };
        CapacityProbe.Measurement warmsUp = (rate, n) -> {
            calls[0]++;
            return new CapacityProbe.Step(rate, new LatencyStats(100, 5, 5, 5, 5, 5, 5), 0, 0,
                                          calls[0] > 2 && rate <= 50);
        };

        CapacityProbe.Result result = probe.climb(warmsUp, step -> { });

        assertThat(result.steps()).extracting(CapacityProbe.Step::rate)
                                  .containsExactly(20.0, 20.0, 20.0, 30.0, 45.0, 67.5, Math.sqrt(45 * 67.5));
        assertThat(result.capacity()).isEqualTo(45);
    }

    private static CapacityProbe.Measurement holdsUpTo(double capacity) {
        return (rate, n) -> new CapacityProbe.Step(rate, new LatencyStats(100, 5, 5, 5, 5, 5, 5), 0, 0,
                                                   rate <= capacity);
    }
}
