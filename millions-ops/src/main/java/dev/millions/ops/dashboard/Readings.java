package dev.millions.ops.dashboard;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the dashboard takes from one scrape of a node: a few named numbers, so that history keeps them
 * and not the whole exposition. Counters (requests, errors, each latency bucket, each backend's
 * requests, cache gets by result, edge hits and misses) become rates over a window; gauges (a worker's
 * p99, its consumer lag, a web node's requests in flight) are read as they are. A Kafka broker's
 * "requests" are the messages it takes in. The names are those that the app (Micrometer), the edge
 * and the worker export; a node exporting none of them has no readings, and the page shows its process
 * alone.
 */
final class Readings {

    static final String REQUESTS = "requests";
    static final String ERRORS = "errors";
    static final String BUCKET = "bucket:";
    static final String P99_SECONDS = "p99";
    static final String EDGE = "edge:";
    static final String CACHE_GETS = "cache:gets";
    static final String CACHE_HITS = "cache:hits";
    static final String CACHE_NEAR_HITS = "cache:near";
    static final String CDN_HITS = "cdn:hits";
    static final String CDN_MISSES = "cdn:misses";
    static final String LAG = "lag";
    static final String IN_FLIGHT = "in-flight";

    /** Probes and scrapes are not traffic: counting them would show an idle node as busy. */
    private static final Set<String> NOT_TRAFFIC = Set.of("/health/**", "/health", "/metrics", "/actuator/**");
    private static final Set<String> CACHE_HIT_RESULTS = Set.of("near_hit", "hit", "negative_hit");

    private Readings() {}

    static Map<String, Double> of(List<Sample> samples) {
        Map<String, Double> readings = new HashMap<>();
        boolean worker = samples.stream().anyMatch(sample -> sample.name().startsWith("millions_worker_"));
        for (Sample sample : samples) {
            String name = sample.name();
            double value = sample.value();
            if (worker) {
                readWorker(sample, readings);
            } else if (name.equals("millions_lb_responses_total")) {
                add(readings, REQUESTS, value);
                if (sample.label("class").equals("5xx")) {
                    add(readings, ERRORS, value);
                }
            } else if (name.equals("millions_lb_backend_latency_seconds_bucket")) {
                add(readings, BUCKET + sample.label("le"), value);
            } else if (name.equals("millions_lb_backend_requests_total")) {
                add(readings, EDGE + sample.label("backend"), value);
            } else if (name.equals("http_server_requests_seconds_count") && traffic(sample)) {
                add(readings, REQUESTS, value);
                if (sample.label("status").startsWith("5")) {
                    add(readings, ERRORS, value);
                }
            } else if (name.equals("http_server_requests_seconds_bucket") && traffic(sample)) {
                add(readings, BUCKET + sample.label("le"), value);
            } else if (name.equals("millions_requests_in_flight")) {
                add(readings, IN_FLIGHT, value);
            } else if (name.equals("kafka_server_brokertopicmetrics_count")) {
                readBroker(sample, readings);
            }
            readTiers(sample, readings);
        }
        return readings;
    }

    private static void readWorker(Sample sample, Map<String, Double> readings) {
        switch (sample.name()) {
            case "millions_worker_messages_total" -> {
                add(readings, REQUESTS, sample.value());
                String outcome = sample.label("outcome");
                if (outcome.equals("failed") || outcome.equals("dead-lettered")) {
                    add(readings, ERRORS, sample.value());
                }
            }
            case "millions_worker_processing_seconds" -> {
                if (sample.label("quantile").equals("0.99")) {
                    readings.merge(P99_SECONDS, sample.value(), Math::max);
                }
            }
            case "kafka_consumer_fetch_manager_records_lag" -> {
                if (!Double.isNaN(sample.value())) {
                    add(readings, LAG, sample.value());
                }
            }
            default -> { }
        }
    }

    /** A Kafka broker's messages in, and its failed produce and fetch requests, over all topics. */
    private static void readBroker(Sample sample, Map<String, Double> readings) {
        switch (sample.label("name")) {
            case "MessagesInPerSec" -> add(readings, REQUESTS, sample.value());
            case "FailedProduceRequestsPerSec", "FailedFetchRequestsPerSec" -> add(readings, ERRORS, sample.value());
            default -> { }
        }
    }

    private static void readTiers(Sample sample, Map<String, Double> readings) {
        switch (sample.name()) {
            case "millions_cache_gets_total" -> {
                add(readings, CACHE_GETS, sample.value());
                String result = sample.label("result");
                if (CACHE_HIT_RESULTS.contains(result)) {
                    add(readings, CACHE_HITS, sample.value());
                }
                if (result.equals("near_hit")) {
                    add(readings, CACHE_NEAR_HITS, sample.value());
                }
            }
            case "millions_cdn_hits_total" -> add(readings, CDN_HITS, sample.value());
            case "millions_cdn_misses_total" -> add(readings, CDN_MISSES, sample.value());
            default -> { }
        }
    }

    private static boolean traffic(Sample sample) {
        return !NOT_TRAFFIC.contains(sample.label("uri"));
    }

    private static void add(Map<String, Double> readings, String key, double value) {
        readings.merge(key, value, Double::sum);
    }
}
