package dev.millions.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SampleTest {

    @Test
    void parse_readsNamesLabelsAndValues_andSkipsComments() {
        List<Sample> samples = Sample.parse("""
                # HELP millions_lb_responses_total Answers by status class.
                # TYPE millions_lb_responses_total counter
                millions_lb_responses_total{class="5xx"} 3.0
                process_uptime_seconds 12.5
                http_server_requests_seconds_count{status="200",uri="/api/{id}",error="none"} 7
                """);

        assertThat(samples).containsExactly(
                new Sample("millions_lb_responses_total", Map.of("class", "5xx"), 3.0),
                new Sample("process_uptime_seconds", Map.of(), 12.5),
                new Sample("http_server_requests_seconds_count", Map.of("status", "200", "uri", "/api/{id}",
                                                                        "error", "none"), 7));
    }

    @Test
    void parse_readsInfinityAndEscapedQuotes_andIgnoresATimestamp() {
        List<Sample> samples = Sample.parse("""
                latency_bucket{le="+Inf"} 4 1700000000000
                odd{message="say \\"hi\\", then\\\\go"} +Inf
                """);

        assertThat(samples.get(0).label("le")).isEqualTo("+Inf");
        assertThat(samples.get(0).value()).isEqualTo(4);
        assertThat(samples.get(1).label("message")).isEqualTo("say \"hi\", then\\go");
        assertThat(samples.get(1).value()).isInfinite();
    }

    @Test
    void parse_dropsLinesThatAreNotSamples() {
        assertThat(Sample.parse("garbage\nname{unclosed=\"x 1\nname notanumber\n")).isEmpty();
    }
}
