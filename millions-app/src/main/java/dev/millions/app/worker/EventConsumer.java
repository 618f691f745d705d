package dev.millions.app.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.millions.app.queue.KafkaClients;
import dev.millions.app.queue.TraceContext;

/**
 * A worker's consumer: one member of the workers' consumer group, reading the event topics and their
 * retry topics. Offsets are committed after the messages' effects commit (at least once; the effects are
 * idempotent), without waiting, and for revoked partitions before they move (cooperative rebalancing: the partitions a
 * worker keeps go on being read while the group rebalances).
 *
 * <p>Each partition's messages are handled in order, on one of the worker's threads, and partitions go
 * on side by side ({@link PartitionWork}); the consumer itself is only touched on its own thread.
 *
 * <p>A retry topic's message that is not due yet pauses its partition until it is; nothing else waits.
 * When the database or Kafka fails, the message is read again after a pause, and nothing is lost.
 */
final class EventConsumer implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(EventConsumer.class);
    /** One line per message handled, as the web nodes' access log has one per request. */
    private static final Logger eventLog = LoggerFactory.getLogger("events");
    private static final Duration POLL = Duration.ofMillis(100);
    /** How soon a partition whose work ended is read again, at most, while others are in work. */
    private static final Duration POLL_WHILE_WORKING = Duration.ofMillis(10);
    private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);
    /** Kafka keeps messages 7 days by default; no duplicate of an older event can arrive. */
    private static final int APPLIED_EVENTS_DAYS = 8;
    private static final Duration FORGET_EVERY = Duration.ofHours(1);

    private final String bootstrapServers;
    private final WorkerProperties properties;
    private final EventProcessor processor;
    private final RetryTopics retries;
    private final Effects effects;
    private final WorkerMetrics metrics;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    private final MessageSpans spans;
    private PartitionWork work;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    EventConsumer(String bootstrapServers, WorkerProperties properties, EventProcessor processor, RetryTopics retries,
                  Effects effects, WorkerMetrics metrics, MeterRegistry registry, MessageSpans spans, Clock clock) {
        this.bootstrapServers = bootstrapServers;
        this.properties = properties;
        this.processor = processor;
        this.retries = retries;
        this.effects = effects;
        this.metrics = metrics;
        this.registry = registry;
        this.spans = spans;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        // Made at each start, as stop() shuts its threads down: a stopped context can be started again.
        work = new PartitionWork(properties.concurrency());
        running = true;
        thread = Thread.ofPlatform().name("worker-consumer").start(this::run);
    }

    @Override
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (work != null) {
            work.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> opened = open(); ConsumerMetrics bound = ConsumerMetrics.bind(opened, registry)) {
                consumer = opened;
                consume(opened);
            } catch (WakeupException e) {
                // stop() asked.
            } catch (RuntimeException e) {
                if (running) {
                    logger.warn("worker consumer failed, joining again in {} ms: {}", FAILURE_PAUSE.toMillis(), e.toString());
                    pause(FAILURE_PAUSE);
                }
            } finally {
                work.awaitAll();
                consumer = null;
                pausedUntil.clear();
                done.clear();
            }
        }
    }

    private KafkaConsumer<String, byte[]> open() {
        return new KafkaConsumer<>(KafkaClients.with(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, properties.group(),
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200,
                // A worker killed with -9 gives its partitions up after this; 6 s is the brokers' least.
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000,
                ConsumerConfig.CLIENT_ID_CONFIG, "worker")), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void consume(KafkaConsumer<String, byte[]> consumer) {
        consumer.subscribe(retries.consumed(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                take(consumer, work.await(partitions));
                commitNow(consumer);
                partitions.forEach(pausedUntil::remove);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    logger.info("worker assigned {} more partitions, {} in all", partitions.size(),
                                consumer.assignment().size());
                }
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                work.await(partitions);
                partitions.forEach(partition -> {
                    pausedUntil.remove(partition);
                    done.remove(partition);
                });
            }
        });
        Instant nextForget = clock.instant();
        while (running) {
            take(consumer, work.finished());
            resumeDue(consumer);
            ConsumerRecords<String, byte[]> records = consumer.poll(work.isEmpty() ? POLL : POLL_WHILE_WORKING);
            for (TopicPartition partition : records.partitions()) {
                List<ConsumerRecord<String, byte[]>> batch = records.records(partition);
                consumer.pause(List.of(partition));
                work.start(partition, () -> handle(batch));
            }
            commit(consumer);
            if (!clock.instant().isBefore(nextForget)) {
                nextForget = clock.instant().plus(FORGET_EVERY);
                effects.forgetOlderThanDays(APPLIED_EVENTS_DAYS);
            }
        }
        take(consumer, work.await(consumer.assignment()));
        commitNow(consumer);
    }

    /** Runs on one of the pool's threads: it must not touch the consumer. */
    private PartitionWork.Handled handle(List<ConsumerRecord<String, byte[]>> records) {
        Optional<OffsetAndMetadata> handledUpTo = Optional.empty();
        for (ConsumerRecord<String, byte[]> record : records) {
            Instant due = Instant.ofEpochMilli(Long.parseLong(Forwarder.header(record, Forwarder.DUE, "0")));
            if (due.isAfter(clock.instant())) {
                return new PartitionWork.Handled(handledUpTo, Optional.of(new PartitionWork.Hold(record.offset(), due)));
            }
            try (TraceContext.LogScope context = TraceContext.of(record.headers()).inLogs()) {
                long startNanos = System.nanoTime();
                try {
                    Outcome outcome = spans.observe(record, () -> processor.process(record));
                    long nanos = System.nanoTime() - startNanos;
                    metrics.processed(record, outcome, nanos);
                    eventLog.info("{}-{}@{} {} {} ms", record.topic(), record.partition(), record.offset(),
                                  outcome.name().toLowerCase(), nanos / 1_000_000);
                } catch (RuntimeException e) {
                    logger.warn("message {}-{}@{} not processed, reading it again in {} ms: {}", record.topic(),
                                record.partition(), record.offset(), FAILURE_PAUSE.toMillis(), e.toString());
                    metrics.failed(record);
                    return new PartitionWork.Handled(handledUpTo, Optional.of(
                            new PartitionWork.Hold(record.offset(), clock.instant().plus(FAILURE_PAUSE))));
                }
            }
            handledUpTo = Optional.of(new OffsetAndMetadata(record.offset() + 1));
        }
        return new PartitionWork.Handled(handledUpTo, Optional.empty());
    }

    /** Takes what the work on partitions found: offsets to commit, and partitions to read again later. */
    private void take(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, PartitionWork.Handled> finished) {
        List<TopicPartition> resume = new ArrayList<>();
        finished.forEach((partition, handled) -> {
            if (!consumer.assignment().contains(partition)) {
                return;
            }
            handled.done().ifPresent(offset -> done.put(partition, offset));
            handled.hold().ifPresentOrElse(hold -> holdUntil(consumer, partition, hold.offset(), hold.until()),
                                           () -> resume.add(partition));
        });
        consumer.resume(resume);
    }

    /** Reads this partition from {@code offset} again once {@code until} has come; the others go on. */
    private void holdUntil(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long offset, Instant until) {
        consumer.seek(partition, offset);
        consumer.pause(List.of(partition));
        pausedUntil.put(partition, until);
    }

    private void resumeDue(KafkaConsumer<String, byte[]> consumer) {
        Instant now = clock.instant();
        List<TopicPartition> due = pausedUntil.entrySet().stream().filter(entry -> !entry.getValue().isAfter(now))
                                              .map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            due.forEach(pausedUntil::remove);
            consumer.resume(due);
        }
    }

    /**
     * Commits what is done without waiting, so that a group coordinator that moves (its broker died)
     * never holds up the messages; offsets whose commit failed go with the next one. At worst a
     * message is read again, and the idempotency guard skips it.
     */
    private void commit(KafkaConsumer<String, byte[]> consumer) {
        if (done.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(done);
        done.clear();
        consumer.commitAsync(offsets, (committed, failure) -> {
            if (failure != null) {
                // Runs on this thread, inside a later poll or commit: a newer offset wins.
                offsets.forEach(done::putIfAbsent);
            }
        });
    }

    /** Before partitions move away: what is done is committed, or the next owner reads it again. */
    private void commitNow(KafkaConsumer<String, byte[]> consumer) {
        if (done.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(done));
            done.clear();
        } catch (RebalanceInProgressException | CommitFailedException e) {
            logger.info("offsets of {} partitions not committed before they moved; their last messages will be read "
                        + "again: {}", done.size(), e.toString());
            done.clear();
        }
    }

    private void pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
