package dev.millions.app.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * A worker's meters, per partition (tags {@code topic} and {@code partition}): messages by outcome
 * ({@code millions.worker.messages}), messages per second over the last ten seconds
 * ({@code millions.worker.rate}), and the delay from an event's commit to its effect
 * ({@code millions.worker.delay}, p50 and p99); processing time for the whole worker. Kafka's own
 * consumer meters (lag per partition among them) are bound next to these.
 */
final class WorkerMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer processing;
    private final Map<TopicPartition, RecentRate> rates = new ConcurrentHashMap<>();

    WorkerMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.processing = Timer.builder("millions.worker.processing").description("one message's handling, commit included")
                               .publishPercentiles(0.5, 0.99).register(registry);
    }

    void processed(ConsumerRecord<String, byte[]> record, Outcome outcome, long nanos) {
        count(record, outcome.name().toLowerCase().replace('_', '-'));
        processing.record(nanos, TimeUnit.NANOSECONDS);
        if (outcome == Outcome.APPLIED) {
            Event.parse(record.value()).at().ifPresent(at -> Timer.builder("millions.worker.delay")
                    .description("from an event's commit to its effect's commit").tags(tags(record))
                    .publishPercentiles(0.5, 0.99).register(registry)
                    .record(Math.max(0, Duration.between(at, clock.instant()).toNanos()), TimeUnit.NANOSECONDS));
        }
    }

    void failed(ConsumerRecord<String, byte[]> record) {
        count(record, "failed");
    }

    private void count(ConsumerRecord<String, byte[]> record, String outcome) {
        Counter.builder("millions.worker.messages").tags(tags(record)).tag("outcome", outcome).register(registry)
               .increment();
        rates.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), partition -> {
            RecentRate rate = new RecentRate(clock);
            Gauge.builder("millions.worker.rate", rate, RecentRate::perSecond)
                 .description("messages handled per second over the last " + RecentRate.WINDOW_SECONDS + " s")
                 .tags(tags(record)).strongReference(true).register(registry);
            return rate;
        }).add();
    }

    private static Tags tags(ConsumerRecord<String, byte[]> record) {
        return Tags.of("topic", record.topic(), "partition", Integer.toString(record.partition()));
    }
}
