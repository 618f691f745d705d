package dev.millions.app.worker;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The workers: consumers of the app's topics that apply each event's effects.
 *
 * @param enabled whether this process consumes (a node of role {@code worker}); web nodes do not
 * @param group the consumer group every worker joins
 * @param retryDelays how long a failed event waits in each retry topic, in turn, before the dead-letter topic
 * @param celebrityFollowers from how many followers on an author's posts are merged into feeds when read
 *        instead of being pushed to every follower
 * @param backfill how many of an author's newest posts a new follow pushes to the follower's feed
 * @param thumbnailWidths the widths of the thumbnails made of each photo (never wider than the photo)
 * @param concurrency how many partitions a worker processes at once, each on a thread of its own (each
 *        holds a database connection while it works)
 */
@ConfigurationProperties("millions.worker")
public record WorkerProperties(boolean enabled, String group, List<Duration> retryDelays, int celebrityFollowers,
                               int backfill, List<Integer> thumbnailWidths, int concurrency) {

    public WorkerProperties {
        group = group == null || group.isBlank() ? "millions-workers" : group.strip();
        retryDelays = retryDelays == null || retryDelays.isEmpty()
                      ? List.of(Duration.ofSeconds(1), Duration.ofSeconds(10)) : List.copyOf(retryDelays);
        celebrityFollowers = celebrityFollowers == 0 ? 1000 : celebrityFollowers;
        backfill = backfill == 0 ? 50 : backfill;
        thumbnailWidths = thumbnailWidths == null || thumbnailWidths.isEmpty() ? List.of(320, 640)
                                                                               : List.copyOf(thumbnailWidths);
        concurrency = concurrency == 0 ? 4 : concurrency;
        check(retryDelays.stream().noneMatch(delay -> delay.isNegative() || delay.isZero()),
              "millions.worker.retry-delays: " + retryDelays + " (expected: each > 0)");
        check(celebrityFollowers > 0, "millions.worker.celebrity-followers: " + celebrityFollowers + " (expected: > 0)");
        check(backfill > 0, "millions.worker.backfill: " + backfill + " (expected: > 0)");
        check(thumbnailWidths.stream().allMatch(width -> width > 0 && width <= 4096),
              "millions.worker.thumbnail-widths: " + thumbnailWidths + " (expected: each in 1..4096)");
        check(concurrency > 0 && concurrency <= 64, "millions.worker.concurrency: " + concurrency + " (expected: 1..64)");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
