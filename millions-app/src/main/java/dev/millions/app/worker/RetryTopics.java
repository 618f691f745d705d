package dev.millions.app.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.millions.app.queue.Topics;

/**
 * The retry and dead-letter topics of each event topic: {@code posts.retry.1}, {@code posts.retry.2},
 * ..., {@code posts.dlq}. A failed event waits in retry topic n for the n-th delay (after Uber's
 * "Building reliable reprocessing and dead letter queues with Kafka", 2018), so its partition of the
 * main topic moves on.
 */
final class RetryTopics {

    private static final String RETRY = ".retry.";
    private static final String DEAD_LETTER = ".dlq";

    private final List<Duration> delays;

    RetryTopics(List<Duration> delays) {
        this.delays = List.copyOf(delays);
    }

    /** How many retry topics each event topic has. */
    int levels() {
        return delays.size();
    }

    Duration delay(int level) {
        return delays.get(level - 1);
    }

    static String retry(String base, int level) {
        return base + RETRY + level;
    }

    static String deadLetter(String base) {
        return base + DEAD_LETTER;
    }

    /** Every topic a worker reads. */
    List<String> consumed() {
        List<String> topics = new ArrayList<>(Topics.EVENTS);
        for (String base : Topics.EVENTS) {
            for (int level = 1; level <= levels(); level++) {
                topics.add(retry(base, level));
            }
        }
        return List.copyOf(topics);
    }

    /** Every topic a worker reads or writes. */
    List<String> all() {
        List<String> topics = new ArrayList<>(consumed());
        Topics.EVENTS.forEach(base -> topics.add(deadLetter(base)));
        return List.copyOf(topics);
    }

    /** Which event topic {@code topic} belongs to, and at which level: 0 for the event topic itself. */
    static Level of(String topic) {
        int retry = topic.lastIndexOf(RETRY);
        if (retry > 0) {
            return new Level(topic.substring(0, retry), Integer.parseInt(topic.substring(retry + RETRY.length())));
        }
        return new Level(topic, 0);
    }

    /** An event topic and a level of its retries. */
    record Level(String base, int level) {}
}
