package dev.millions.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WrkTest {

    static final String OUTPUT = """
            Running 10s test @ http://127.0.0.1:8080/
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     1.12ms  310.21us   9.87ms   88.12%
                Req/Sec    57.10k     2.01k   60.12k    71.00%
              Latency Distribution
                 50%    1.08ms
                 75%    1.21ms
                 90%    1.40ms
                 99%    1.93ms
              568123 requests in 10.00s, 612.10MB read
              Socket errors: connect 0, read 2, write 0, timeout 1
              Non-2xx or 3xx responses: 4
            Requests/sec:  56801.27
            Transfer/sec:     61.20MB
            """;

    @Test
    void output_isReadIntoRateLatencyAndErrors() {
        Wrk.Result result = Wrk.parse(OUTPUT);

        assertThat(result.requestsPerSecond()).isCloseTo(56_801.27, within(0.01));
        assertThat(result.p50()).isCloseTo(1.08, within(0.001));
        assertThat(result.p99()).isCloseTo(1.93, within(0.001));
        assertThat(result.requests()).isEqualTo(568_123);
        assertThat(result.errors()).isEqualTo(7);
    }

    @Test
    void sideBySide_reportsMediansAndRatiosAgainstTheFirstTarget() {
        SideBySide results = new SideBySide();
        results.add("ours", new Wrk.Result(100, 1, 2, 1000, 0));
        results.add("peer", new Wrk.Result(50, 2, 4, 500, 0));
        results.add("ours", new Wrk.Result(120, 1, 2, 1000, 0));
        results.add("peer", new Wrk.Result(60, 2, 4, 500, 0));
        results.add("ours", new Wrk.Result(80, 1, 2, 1000, 0));
        results.add("peer", new Wrk.Result(40, 2, 4, 500, 0));

        assertThat(results.table()).containsPattern("ours +3 +100 .* 1\\.00")
                                   .containsPattern("peer +3 +50 .* 0\\.50");
    }
}
