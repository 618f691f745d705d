package dev.millions.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ReadingsTest {

    @Test
    void webNode_countsItsTraffic_notTheProbesAndScrapesOfItsHealthAndMetrics() {
        Map<String, Double> readings = Readings.of(Sample.parse("""
                http_server_requests_seconds_count{status="200",uri="/api/posts"} 40
                http_server_requests_seconds_count{status="503",uri="/api/posts"} 2
                http_server_requests_seconds_count{status="200",uri="/health/**"} 900
                http_server_requests_seconds_bucket{status="200",uri="/api/posts",le="0.01"} 30
                http_server_requests_seconds_bucket{status="200",uri="/health/**",le="0.01"} 900
                millions_cache_gets_total{cache="users",result="near_hit"} 6
                millions_cache_gets_total{cache="users",result="hit"} 3
                millions_cache_gets_total{cache="users",result="miss"} 1
                """));

        assertThat(readings).containsEntry(Readings.REQUESTS, 42.0).containsEntry(Readings.ERRORS, 2.0)
                            .containsEntry(Readings.BUCKET + "0.01", 30.0).containsEntry(Readings.CACHE_GETS, 10.0)
                            .containsEntry(Readings.CACHE_HITS, 9.0).containsEntry(Readings.CACHE_NEAR_HITS, 6.0);
    }

    @Test
    void balancer_countsAnswersByClass_andEachBackendAsAnEdge() {
        Map<String, Double> readings = Readings.of(Sample.parse("""
                millions_lb_responses_total{class="2xx"} 100.0
                millions_lb_responses_total{class="5xx"} 4.0
                millions_lb_backend_requests_total{backend="web-1"} 60.0
                millions_lb_backend_requests_total{backend="web-2"} 44.0
                millions_lb_backend_latency_seconds_bucket{backend="web-1",le="0.005"} 10
                millions_lb_backend_latency_seconds_bucket{backend="web-2",le="0.005"} 5
                """));

        assertThat(readings).containsEntry(Readings.REQUESTS, 104.0).containsEntry(Readings.ERRORS, 4.0)
                            .containsEntry(Readings.EDGE + "web-1", 60.0).containsEntry(Readings.EDGE + "web-2", 44.0)
                            .containsEntry(Readings.BUCKET + "0.005", 15.0);
    }

    @Test
    void worker_countsMessages_failuresAsErrors_andReadsItsP99AndLag() {
        Map<String, Double> readings = Readings.of(Sample.parse("""
                millions_worker_messages_total{outcome="applied",partition="0",topic="posts"} 50
                millions_worker_messages_total{outcome="dead-lettered",partition="1",topic="posts"} 2
                millions_worker_processing_seconds{quantile="0.99"} 0.04
                millions_worker_processing_seconds{quantile="0.5"} 0.01
                kafka_consumer_fetch_manager_records_lag{partition="0",topic="posts"} 7
                kafka_consumer_fetch_manager_records_lag{partition="1",topic="posts"} NaN
                http_server_requests_seconds_count{status="200",uri="/api/x"} 3
                """));

        assertThat(readings).containsEntry(Readings.REQUESTS, 52.0).containsEntry(Readings.ERRORS, 2.0)
                            .containsEntry(Readings.P99_SECONDS, 0.04).containsEntry(Readings.LAG, 7.0);
    }

    @Test
    void kafkaBroker_countsTheMessagesItTakesIn_andItsFailedRequestsAsErrors() {
        Map<String, Double> readings = Readings.of(Sample.parse("""
                kafka_server_brokertopicmetrics_count{name="MessagesInPerSec"} 120.0
                kafka_server_brokertopicmetrics_count{name="BytesInPerSec"} 99999.0
                kafka_server_brokertopicmetrics_count{name="FailedProduceRequestsPerSec"} 2.0
                kafka_server_brokertopicmetrics_count{name="FailedFetchRequestsPerSec"} 1.0
                """));

        assertThat(readings).containsEntry(Readings.REQUESTS, 120.0).containsEntry(Readings.ERRORS, 3.0);
    }
}
