package dev.millions.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class NodeHistoryTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long WINDOW = 5 * SECOND;

    @Test
    void rate_isTheCountersIncreaseOverTheWindow_perSecond() {
        NodeHistory history = new NodeHistory();
        for (int second = 0; second <= 10; second++) {
            history.add(tick(second, Map.of(Readings.REQUESTS, 20.0 * second)));
        }

        assertThat(history.rate(Readings.REQUESTS, WINDOW)).isCloseTo(20, within(1e-9));
    }

    @Test
    void rate_countsFromZeroAgain_whenTheNodeRestartedAndItsCounterWentDown() {
        NodeHistory history = new NodeHistory();
        history.add(tick(0, Map.of(Readings.REQUESTS, 500.0)));
        history.add(tick(2, Map.of(Readings.REQUESTS, 30.0)));

        assertThat(history.rate(Readings.REQUESTS, WINDOW)).isCloseTo(15, within(1e-9));
    }

    @Test
    void rate_isUnknown_beforeTwoScrapes_orForACounterTheNodeDoesNotExport() {
        NodeHistory history = new NodeHistory();
        history.add(tick(0, Map.of(Readings.REQUESTS, 1.0)));
        assertThat(history.rate(Readings.REQUESTS, WINDOW)).isNaN();

        history.add(tick(1, Map.of(Readings.REQUESTS, 2.0)));
        assertThat(history.rate(Readings.ERRORS, WINDOW)).isNaN();
    }

    @Test
    void p99_interpolatesInsideTheBucketOfTheRank_overTheWindowsIncreaseOnly() {
        NodeHistory history = new NodeHistory();
        // Before the window: 1000 slow requests, which must not count.
        history.add(tick(0, buckets(0, 0, 1000)));
        history.add(tick(6, buckets(0, 0, 1000)));
        // In the window: 100 requests, 90 at or below 10 ms, 10 between 10 and 20 ms.
        history.add(tick(11, buckets(90, 100, 1100)));

        // The rank 99 lies 9/10 of the way into the (0.01, 0.02] bucket.
        assertThat(history.p99(WINDOW)).isCloseTo(0.019, within(1e-9));
    }

    @Test
    void quantile_inTheInfiniteBucket_isTheHighestFiniteBound() {
        TreeMap<Double, Double> cumulative = new TreeMap<>(Map.of(0.1, 1.0, Double.POSITIVE_INFINITY, 10.0));

        assertThat(NodeHistory.quantile(0.99, cumulative)).isEqualTo(0.1);
        assertThat(NodeHistory.quantile(0.99, new TreeMap<>())).isNaN();
    }

    @Test
    void cpu_isTheProcessTreesCpuTimeOverWallTime() {
        NodeHistory history = new NodeHistory();
        history.add(new NodeHistory.Tick(0, Map.of(), 10.0, 0));
        history.add(new NodeHistory.Tick(4 * SECOND, Map.of(), 16.0, 0));

        assertThat(history.cpu(WINDOW)).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void history_keepsTheLastFifteenMinutes_atOneScrapeASecond() {
        NodeHistory history = new NodeHistory();
        for (int second = 0; second < NodeHistory.CAPACITY + 100; second++) {
            history.add(tick(second, Map.of(Readings.REQUESTS, (double) second)));
        }

        assertThat(history.size()).isEqualTo(900);
        assertThat(history.recentRates(Readings.REQUESTS, 3)).containsExactly(1.0, 1.0, 1.0);
    }

    private static NodeHistory.Tick tick(long second, Map<String, Double> readings) {
        return new NodeHistory.Tick(second * SECOND, readings, Double.NaN, 0);
    }

    /** Cumulative buckets at 10 ms, 20 ms and +Inf. */
    private static Map<String, Double> buckets(double upTo10ms, double upTo20ms, double all) {
        return Map.of(Readings.BUCKET + "0.01", upTo10ms, Readings.BUCKET + "0.02", upTo20ms,
                      Readings.BUCKET + "+Inf", all);
    }
}
