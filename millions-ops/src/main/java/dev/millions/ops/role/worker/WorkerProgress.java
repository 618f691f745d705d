package dev.millions.ops.role.worker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code status} shows of a worker, read from its metrics: a first line with the consumer lag of
 * its partitions (summed, and the worst partition's) and its messages by outcome, then one line per
 * partition of an event topic it reads: lag, messages per second over the last ten seconds, outcomes,
 * and the p99 delay from commit to effect. A retry topic's partition counts towards the same-numbered
 * partition of its event topic: the copies keep their key, so they land there.
 */
final class WorkerProgress {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)} ([0-9.eE+-]+|NaN)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern RETRY_SUFFIX = Pattern.compile("\\.retry\\.\\d+$");

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
        Map<String, Partition> partitions = new TreeMap<>();
        Map<String, Long> outcomes = new TreeMap<>();
        for (String line : metrics.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                continue;
            }
            Map<String, String> labels = labels(sample.group(2));
            String topic = labels.get("topic");
            String number = labels.get("partition");
            if (topic == null || number == null) {
                continue;
            }
            double value = Double.parseDouble(sample.group(3));
            Partition partition = partitions.computeIfAbsent(RETRY_SUFFIX.matcher(topic).replaceFirst("") + '-' + number,
                                                             Partition::new);
            switch (sample.group(1)) {
                case "kafka_consumer_fetch_manager_records_lag" -> {
                    partition.lag += Math.max(0, (long) value);
                    partition.assigned = true;
                }
                case "millions_worker_messages_total" -> {
                    partition.outcomes.merge(labels.getOrDefault("outcome", "?"), (long) value, Long::sum);
                    outcomes.merge(labels.getOrDefault("outcome", "?"), (long) value, Long::sum);
                }
                case "millions_worker_rate" -> partition.rate += Double.isNaN(value) ? 0 : value;
                case "millions_worker_delay_seconds" -> {
                    if ("0.99".equals(labels.get("quantile")) && !Double.isNaN(value)) {
                        partition.delayP99Millis = Math.max(partition.delayP99Millis, (long) (value * 1000));
                    }
                }
                default -> { }
            }
        }
        long lag = 0;
        long worst = 0;
        String worstPartition = "";
        int assigned = 0;
        StringBuilder lines = new StringBuilder();
        for (Partition partition : partitions.values()) {
            if (!partition.assigned) {
                continue; // handled before a rebalance moved it to another worker
            }
            assigned++;
            lag += partition.lag;
            if (partition.lag > worst) {
                worst = partition.lag;
                worstPartition = partition.name;
            }
            lines.append('\n').append(partition);
        }
        StringBuilder summary = new StringBuilder("lag ").append(lag).append(" over ").append(assigned).append(" partitions");
        if (worst > 0) {
            summary.append(" (most ").append(worst).append(" on ").append(worstPartition).append(')');
        }
        summary.append(", ").append(outcomes(outcomes));
        return summary.append(lines).toString();
    }

    private static String outcomes(Map<String, Long> outcomes) {
        return "applied " + outcomes.getOrDefault("applied", 0L) + ", retried " + outcomes.getOrDefault("retried", 0L)
               + ", dead-lettered " + (outcomes.getOrDefault("dead-lettered", 0L) + outcomes.getOrDefault("poison", 0L));
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        Matcher label = LABEL.matcher(text);
        while (label.find()) {
            labels.put(label.group(1), label.group(2));
        }
        return labels;
    }

    /** One partition of an event topic, with its retry copies. */
    private static final class Partition {
        final String name;
        final Map<String, Long> outcomes = new TreeMap<>();
        boolean assigned;
        long lag;
        double rate;
        long delayP99Millis = -1;

        Partition(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: lag %d, %.1f/s, %s, delay p99 %s", name, lag, rate, outcomes(outcomes),
                                 delayP99Millis < 0 ? "-" : delayP99Millis + " ms");
        }
    }
}
