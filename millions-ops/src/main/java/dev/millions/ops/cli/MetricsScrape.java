package dev.millions.ops.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Reads a node's Prometheus {@code /metrics} for the benches: its samples, or one metric's sum. */
final class MetricsScrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MetricsScrape() {}

    /** The sum of the metric's samples (all label sets) at {@code baseUrl}, which ends with {@code /}. */
    static double metric(String baseUrl, String name) {
        return samples(baseUrl).stream().filter(line -> line.startsWith(name + ' ') || line.startsWith(name + '{'))
                               .mapToDouble(MetricsScrape::value).sum();
    }

    /** A sample line's value. */
    static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** The sample lines, comments left out. */
    static List<String> samples(String baseUrl) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "metrics"))
                                                                 .timeout(Duration.ofSeconds(5)).build(),
                                                      HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + baseUrl + "metrics answered " + response.statusCode());
            }
            return response.body().lines().filter(line -> !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + baseUrl + "metrics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + baseUrl + "metrics", e);
        }
    }
}
