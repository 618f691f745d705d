package dev.millions.app.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A worker's meters: messages by topic and outcome ({@code millions.worker.messages}), processing time,
 * and the delay from an event's commit to its effect ({@code millions.worker.delay}, p50 and p99).
 * Kafka's own consumer meters (lag per partition among them) are bound next to these.
 */
final class WorkerMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer processing;
    private final Timer delay;

    WorkerMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.processing = Timer.builder("millions.worker.processing").description("one message's handling, commit included")
                               .publishPercentiles(0.5, 0.99).register(registry);
        this.delay = Timer.builder("millions.worker.delay").description("from an event's commit to its effect's commit")
                          .publishPercentiles(0.5, 0.99).register(registry);
    }

    void processed(ConsumerRecord<String, byte[]> record, Outcome outcome, long nanos) {
        count(record, outcome.name().toLowerCase().replace('_', '-'));
        processing.record(nanos, TimeUnit.NANOSECONDS);
        if (outcome == Outcome.APPLIED) {
            Event.parse(record.value()).at().ifPresent(at -> delay.record(
                    Math.max(0, Duration.between(at, clock.instant()).toNanos()), TimeUnit.NANOSECONDS));
        }
    }

    void failed(ConsumerRecord<String, byte[]> record) {
        count(record, "failed");
    }

    private void count(ConsumerRecord<String, byte[]> record, String outcome) {
        Counter.builder("millions.worker.messages").tag("topic", record.topic()).tag("outcome", outcome)
               .register(registry).increment();
    }
}
