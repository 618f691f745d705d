package dev.millions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The percentile math, warm-up exclusion and the per-second series, with time given, not measured. */
class RecorderTest {

    static final long MS = 1_000_000L;

    @Test
    void percentiles_ofOneToTenThousandMillis_areWithinTheHistogramsPrecision() {
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        for (long millis = 1; millis <= 10_000; millis++) {
            histogram.recordValue(millis * 1000);
        }

        LatencyStats stats = LatencyStats.of(histogram);

        assertThat(stats.count()).isEqualTo(10_000);
        assertThat(stats.p50()).isCloseTo(5_000, within(5.0));
        assertThat(stats.p90()).isCloseTo(9_000, within(9.0));
        assertThat(stats.p99()).isCloseTo(9_900, within(10.0));
        assertThat(stats.p999()).isCloseTo(9_990, within(10.0));
        assertThat(stats.max()).isCloseTo(10_000, within(10.0));
        assertThat(stats.mean()).isCloseTo(5_000.5, within(5.0));
    }

    @Test
    void emptyHistogram_givesZeros() {
        assertThat(LatencyStats.of(new Histogram(3))).isEqualTo(LatencyStats.EMPTY);
    }

    @Test
    void latency_runsFromWhenTheOperationWasDue_notFromWhenItStarted() {
        Recorder recorder = new Recorder(0, 0);

        recorder.record("read", 100 * MS, 1_100 * MS, Outcome.success());

        assertThat(recorder.total().max()).isCloseTo(1_000, within(1.0));
    }

    @Test
    void warmup_isLeftOutOfTheSummary_butNotOutOfTheSeries() {
        Recorder recorder = new Recorder(0, 2_000 * MS);

        recorder.due(500 * MS);
        recorder.record("read", 500 * MS, 510 * MS, Outcome.success());
        recorder.record("read", 600 * MS, 700 * MS, Outcome.error("http 503"));
        recorder.due(2_500 * MS);
        recorder.record("read", 2_500 * MS, 2_520 * MS, Outcome.success());
        recorder.record("write", 3_000 * MS, 3_100 * MS, Outcome.error("connect refused"));

        assertThat(recorder.total().count()).isEqualTo(1);
        assertThat(recorder.total().p50()).isCloseTo(20, within(0.1));
        assertThat(recorder.errors()).containsOnlyKeys("connect refused");
        List<Second> series = recorder.series();
        assertThat(series).hasSize(4);
        assertThat(series.get(0).due()).isEqualTo(1);
        assertThat(series.get(0).ok()).isEqualTo(1);
        assertThat(series.get(0).errors()).containsEntry("http 503", 1L);
        assertThat(series.get(1).ok()).isZero();
        assertThat(series.get(3).errors()).containsEntry("connect refused", 1L);
        assertThat(recorder.operations()).extracting(Recorder.OperationSummary::name).containsExactly("read", "write");
        assertThat(recorder.operations().get(1).errorCount()).isEqualTo(1);
    }
}
