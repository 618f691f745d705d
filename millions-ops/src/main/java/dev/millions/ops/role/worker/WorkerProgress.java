package dev.millions.ops.role.worker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code status} shows of a worker, read from its metrics: the consumer lag of its partitions
 * (summed, and the worst partition's), and its messages by outcome.
 */
final class WorkerProgress {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LAG = Pattern.compile(
            "^kafka_consumer_fetch_manager_records_lag\\{(?=[^}]*partition=\"(\\d+)\")(?=[^}]*topic=\"([^\"]+)\")[^}]*} ([0-9.eE+-]+)$");
    private static final Pattern MESSAGES = Pattern.compile(
            "^millions_worker_messages_total\\{(?=[^}]*outcome=\"([^\"]+)\")[^}]*} ([0-9.eE+-]+)$");

    private WorkerProgress() {}

    static Optional<String> read(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "metrics"))
                                                                 .timeout(Duration.ofSeconds(2)).build(),
                                                      HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(summary(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static String summary(String metrics) {
        long lag = 0;
        long worst = 0;
        String worstPartition = "";
        int partitions = 0;
        Map<String, Long> outcomes = new TreeMap<>();
        for (String line : metrics.split("\n")) {
            Matcher lagLine = LAG.matcher(line);
            if (lagLine.matches()) {
                long value = (long) Double.parseDouble(lagLine.group(3));
                partitions++;
                lag += Math.max(0, value);
                if (value > worst || worstPartition.isEmpty()) {
                    worst = value;
                    worstPartition = lagLine.group(2) + '-' + lagLine.group(1);
                }
                continue;
            }
            Matcher messages = MESSAGES.matcher(line);
            if (messages.matches()) {
                outcomes.merge(messages.group(1), (long) Double.parseDouble(messages.group(2)), Long::sum);
            }
        }
        StringBuilder summary = new StringBuilder("lag ").append(lag).append(" over ").append(partitions).append(" partitions");
        if (worst > 0) {
            summary.append(" (most ").append(worst).append(" on ").append(worstPartition).append(')');
        }
        summary.append(", applied ").append(outcomes.getOrDefault("applied", 0L))
               .append(", retried ").append(outcomes.getOrDefault("retried", 0L))
               .append(", dead-lettered ").append(outcomes.getOrDefault("dead-lettered", 0L)
                                                   + outcomes.getOrDefault("poison", 0L));
        return summary.toString();
    }
}
