package dev.millions.app.worker;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import dev.millions.app.worker.ParkedEvents.Parked;

/**
 * What a worker does with one message, in one database transaction.
 *
 * <p><b>Order per key across retries</b> (after the "retry topic with ordering" pattern in Confluent's
 * "Error handling patterns for Apache Kafka applications", 2021, with the parked keys kept in the
 * database so that a worker's death forgets none). An event that fails is parked: a row in
 * {@code parked_events} and a copy in the first retry topic. While its key has a parked event, every
 * later event of that key is parked behind it instead of applied. Only the oldest parked event of a key
 * is tried; a copy of a younger one that comes due moves to the head's retry topic, behind the head. So
 * a key waits for its failed event, and no other key waits for anything.
 *
 * <p><b>Copies.</b> Each move sends the new copy first (acknowledged) and then records its level and
 * hop; a copy whose level and hop are not the row's has been overtaken and is dropped, as is a copy of
 * an event no longer parked.
 *
 * <p><b>Failures.</b> A poison event (unreadable, or a photo that cannot be decoded) goes to the
 * dead-letter topic at once; another failure is retried after each delay in turn, then dead-lettered
 * with its error, attempts and first failure. A failure of the database or of Kafka itself is no
 * event's fault: it propagates, nothing commits, and the consumer reads the message again.
 */
final class EventProcessor {

    private final TransactionTemplate transactions;
    private final ParkedEvents parked;
    private final Effects effects;
    private final Forwarder forwarder;
    private final RetryTopics retries;
    private final Clock clock;

    EventProcessor(TransactionTemplate transactions, ParkedEvents parked, Effects effects, Forwarder forwarder,
                   RetryTopics retries, Clock clock) {
        this.transactions = transactions;
        this.parked = parked;
        this.effects = effects;
        this.forwarder = forwarder;
        this.retries = retries;
        this.clock = clock;
    }

    Outcome process(ConsumerRecord<String, byte[]> record) {
        RetryTopics.Level at = RetryTopics.of(record.topic());
        String key = record.key() == null ? "" : record.key();
        Event event;
        try {
            event = Event.parse(record.value());
        } catch (PoisonEventException e) {
            forwarder.deadLetter(record, at.base(), 1, clock.instant(), e.getMessage());
            return Outcome.POISON;
        }
        return transactions.execute(status -> at.level() == 0 ? fromEventTopic(status, record, at.base(), key, event)
                                                              : fromRetryTopic(status, record, at, key, event));
    }

    private Outcome fromEventTopic(TransactionStatus status, ConsumerRecord<String, byte[]> record, String base,
                                   String key, Event event) {
        Optional<Parked> mine = parked.lock(base, event.id());
        if (mine.isPresent()) {
            // Read again after a crash: its copy may not have been sent; a second one is told apart by its hop.
            Parked row = mine.get();
            forwarder.retry(record, base, row.level(), row.hop(), due(row.level()), 0, clock.instant(), "");
            return Outcome.PARKED;
        }
        if (parked.head(base, key).isPresent()) {
            forwarder.retry(record, base, 1, 0, due(1), 0, clock.instant(), "");
            parked.park(base, key, event.id(), 1, 0, Optional.empty(), Optional.empty());
            return Outcome.PARKED;
        }
        return attempt(status, record, base, key, event, Optional.empty());
    }

    private Outcome fromRetryTopic(TransactionStatus status, ConsumerRecord<String, byte[]> record, RetryTopics.Level at,
                                   String key, Event event) {
        Optional<Parked> mine = parked.lock(at.base(), event.id());
        int hop = Integer.parseInt(Forwarder.header(record, Forwarder.HOP, "-1"));
        if (mine.isEmpty() || mine.get().level() != at.level() || mine.get().hop() != hop) {
            return Outcome.STALE;
        }
        Parked row = mine.get();
        Parked head = parked.head(at.base(), key).orElseThrow();
        if (!head.eventId().equals(event.id())) {
            int level = Math.max(head.level(), row.level());
            forwarder.retry(record, at.base(), level, row.hop() + 1, due(level), row.attempts(),
                            row.firstFailure().orElse(clock.instant()), Forwarder.header(record, Forwarder.ERROR, ""));
            parked.move(row, level, row.attempts(), row.firstFailure(),
                        Optional.of(Forwarder.header(record, Forwarder.ERROR, "")).filter(error -> !error.isEmpty()));
            return Outcome.PARKED;
        }
        return attempt(status, record, at.base(), key, event, mine);
    }

    /** Applies the event in a savepoint; on a failure of its own, parks it further or dead-letters it. */
    private Outcome attempt(TransactionStatus status, ConsumerRecord<String, byte[]> record, String base, String key,
                            Event event, Optional<Parked> row) {
        Object savepoint = status.createSavepoint();
        try {
            boolean applied = effects.apply(event);
            status.releaseSavepoint(savepoint);
            row.ifPresent(parked::remove);
            return applied ? Outcome.APPLIED : Outcome.DUPLICATE;
        } catch (RuntimeException e) {
            // A broken connection fails here as well, and then the whole message is read again.
            status.rollbackToSavepoint(savepoint);
            int attempts = row.map(Parked::attempts).orElse(0) + 1;
            Instant firstFailure = row.flatMap(Parked::firstFailure).orElse(clock.instant());
            String error = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            boolean poison = e instanceof PoisonEventException;
            if (poison || attempts > retries.levels()) {
                forwarder.deadLetter(record, base, attempts, firstFailure, error);
                row.ifPresent(parked::remove);
                return poison ? Outcome.POISON : Outcome.DEAD_LETTERED;
            }
            // Never back to a lower level: the events parked behind this one are at its level or lower.
            int level = Math.max(row.map(Parked::level).orElse(1), attempts);
            forwarder.retry(record, base, level, row.map(Parked::hop).orElse(-1) + 1, due(level), attempts, firstFailure,
                            error);
            if (row.isPresent()) {
                parked.move(row.get(), level, attempts, Optional.of(firstFailure), Optional.of(error));
            } else {
                parked.park(base, key, event.id(), level, attempts, Optional.of(firstFailure), Optional.of(error));
            }
            return Outcome.RETRIED;
        }
    }

    private Instant due(int level) {
        return clock.instant().plus(retries.delay(level));
    }
}
