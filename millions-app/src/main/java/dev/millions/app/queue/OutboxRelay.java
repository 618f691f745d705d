package dev.millions.app.queue;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Publishes the outbox, then deletes what it published, one batch per transaction (after the pattern
 * in Richardson's "Transactional outbox" and Debezium's outbox router, polling instead of reading the WAL).
 *
 * <ul>
 *   <li><b>One relay at a time.</b> Every web node runs one (workers do not, {@code millions.queue.relay}:
 *       a worker killed mid-batch would otherwise be two faults at once, its partitions and the relay); the one that holds a PostgreSQL advisory
 *       lock on the primary publishes, the others wait for it. The lock belongs to the relay's session,
 *       so a relay that dies (or loses the primary) lets another take over at once, and a batch it had
 *       not committed is published again by the next: at least once, never lost.</li>
 *   <li><b>No row skipped.</b> The relay keeps no position: it takes the oldest rows there are, so a row
 *       that commits after a later id was published (the trap of polling outboxes) is taken next time.</li>
 *   <li><b>Order per key.</b> One relay, batches in id order, an idempotent producer (retries keep the
 *       order), and the key of the author or follower: a key's events reach their partition in order.</li>
 * </ul>
 * With no queue configured, nobody hears the events: the relay drops them, counted.
 */
@Component
@ConditionalOnProperty(name = "millions.queue.relay", havingValue = "true", matchIfMissing = true)
class OutboxRelay implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(OutboxRelay.class);
    /** The advisory lock that makes a relay the publishing one: "mill" in ASCII. */
    private static final long LEADER_LOCK = 0x6d696c6cL;
    private static final int BATCH = 500;
    private static final Duration IDLE_POLL = Duration.ofMillis(20);
    /** With no queue, nobody waits for the events: clearing them now and then is enough. */
    private static final Duration IDLE_POLL_WITHOUT_QUEUE = Duration.ofSeconds(1);
    private static final Duration FOLLOWER_POLL = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final QueueProperties properties;
    private final AtomicInteger leader = new AtomicInteger();
    private final Counter published;
    private final Counter dropped;
    private final Timer delay;
    private volatile boolean running;
    private Thread thread;

    OutboxRelay(DataSource dataSource, QueueProperties properties, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.properties = properties;
        this.published = Counter.builder("millions.outbox.events").tag("outcome", "published").register(registry);
        this.dropped = Counter.builder("millions.outbox.events").tag("outcome", "dropped")
                              .description("events with no queue configured to go to").register(registry);
        this.delay = Timer.builder("millions.outbox.delay").description("from an event's commit to its acknowledgement by Kafka")
                          .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("millions.outbox.leader", leader, AtomicInteger::get)
             .description("1 while this node's relay is the one that publishes").register(registry);
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = Thread.ofVirtual().name("outbox-relay").start(this::run);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try {
                lead();
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    logger.warn("outbox relay stopped publishing, trying again in {} ms: {}{}", FOLLOWER_POLL.toMillis(),
                                e, e.getCause() == null ? "" : " (" + e.getCause() + ')');
                }
            }
            pause(FOLLOWER_POLL);
        }
    }

    /** Publishes while this relay holds the lock; returns when it does not get it, or on a failure. */
    private void lead() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!tryLock(connection)) {
                return;
            }
            leader.set(1);
            logger.info("this node's outbox relay publishes now");
            boolean queue = !properties.bootstrapServers().isBlank();
            try (Publisher publisher = queue ? KafkaPublisher.start(properties) : Publisher.none()) {
                connection.setAutoCommit(false);
                while (running) {
                    if (relayBatch(connection, publisher) == 0) {
                        pause(queue ? IDLE_POLL : IDLE_POLL_WITHOUT_QUEUE);
                    }
                }
            } finally {
                leader.set(0);
            }
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT pg_try_advisory_lock(" + LEADER_LOCK + ')')) {
            return result.next() && result.getBoolean(1);
        }
    }

    /** One batch in one transaction: taken, published (every acknowledgement awaited), deleted. */
    private int relayBatch(Connection connection, Publisher publisher) throws SQLException {
        List<OutboxEvent> events = new ArrayList<>();
        try {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, topic, event_key, payload::text, created_at, traceparent, request_id FROM outbox ORDER BY id LIMIT " + BATCH
                    + " FOR UPDATE")) {
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        events.add(new OutboxEvent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                                                   rows.getTimestamp(5).toInstant(),
                                                   new TraceContext(rows.getString(6), rows.getString(7))));
                    }
                }
            }
            if (events.isEmpty()) {
                connection.commit();
                return 0;
            }
            boolean sent = publisher.publish(events);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ANY(?)")) {
                Array ids = connection.createArrayOf("bigint", events.stream().map(OutboxEvent::id).toArray());
                delete.setArray(1, ids);
                delete.executeUpdate();
            }
            connection.commit();
            Instant now = Instant.now();
            (sent ? published : dropped).increment(events.size());
            if (sent) {
                events.forEach(event -> delay.record(Math.max(0, Duration.between(event.createdAt(), now).toNanos()),
                                                     TimeUnit.NANOSECONDS));
            }
            return events.size();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is gone with the failure; closing it ends the transaction.
        }
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
