package dev.millions.app.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * The consumer's own metrics as meters (the lag of each partition, fetch rates), which {@code status}
 * reads. Micrometer's {@link KafkaClientMetrics} looks for metrics that the consumer added or removed
 * once a minute, and a partition's lag metric appears only with its first fetch: a worker added by
 * {@code scale} showed no partitions in {@code status} for up to a minute after its rebalance, and a
 * worker kept those it had given up as long. The binder is given a scheduler of ours, which runs that
 * same look every {@link #REFRESH}, and stops with the consumer (Micrometer leaves a scheduler it was
 * given running).
 */
final class ConsumerMetrics implements AutoCloseable {

    static final Duration REFRESH = Duration.ofSeconds(2);

    private final ScheduledExecutorService scheduler;
    private final KafkaClientMetrics metrics;

    private ConsumerMetrics(ScheduledExecutorService scheduler, KafkaClientMetrics metrics) {
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    static ConsumerMetrics bind(Consumer<?, ?> consumer, MeterRegistry registry) {
        ScheduledExecutorService scheduler = new Refresher();
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, List.of(), scheduler);
        metrics.bindTo(registry);
        return new ConsumerMetrics(scheduler, metrics);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        metrics.close();
    }

    /** Runs its periodic task every {@link #REFRESH}: the binder's look for new metrics is its only one. */
    static final class Refresher extends ScheduledThreadPoolExecutor {

        Refresher() {
            super(1, Thread.ofPlatform().daemon().name("kafka-metrics-refresh").factory());
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return super.scheduleAtFixedRate(command, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
