package dev.millions.app.worker;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The events of each key that are on their way through the retry topics, oldest first. Only the oldest
 * (the head) is tried; the others wait behind it, each a copy in a retry topic, so a key's order
 * survives a retry and no other key waits.
 */
@Repository
class ParkedEvents {

    private static final RowMapper<Parked> ROW = (rs, row) -> new Parked(
            rs.getLong("seq"), UUID.fromString(rs.getString("event_id")), rs.getInt("level"), rs.getInt("hop"),
            rs.getInt("attempts"), Optional.ofNullable(rs.getTimestamp("first_failure")).map(Timestamp::toInstant));

    private final JdbcClient jdbc;

    ParkedEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** This event's row, locked, if it is parked. */
    Optional<Parked> lock(String topic, UUID eventId) {
        return jdbc.sql("SELECT * FROM parked_events WHERE topic = ? AND event_id = ? FOR UPDATE")
                   .params(topic, eventId.toString()).query(ROW).optional();
    }

    /** The oldest parked event of a key. */
    Optional<Parked> head(String topic, String key) {
        return jdbc.sql("SELECT * FROM parked_events WHERE topic = ? AND event_key = ? ORDER BY seq LIMIT 1")
                   .params(topic, key).query(ROW).optional();
    }

    void park(String topic, String key, UUID eventId, int level, int attempts, Optional<Instant> firstFailure,
              Optional<String> error) {
        jdbc.sql("""
                 INSERT INTO parked_events (topic, event_key, event_id, level, hop, attempts, first_failure, error)
                 VALUES (?, ?, ?, ?, 0, ?, ?, ?)""")
            .params(topic, key, eventId.toString(), level, attempts, firstFailure.map(Timestamp::from).orElse(null),
                    error.orElse(null))
            .update();
    }

    void move(Parked parked, int level, int attempts, Optional<Instant> firstFailure, Optional<String> error) {
        jdbc.sql("UPDATE parked_events SET level = ?, hop = hop + 1, attempts = ?, first_failure = ?, error = ? WHERE seq = ?")
            .params(level, attempts, firstFailure.map(Timestamp::from).orElse(null), error.orElse(null), parked.seq())
            .update();
    }

    void remove(Parked parked) {
        jdbc.sql("DELETE FROM parked_events WHERE seq = ?").param(parked.seq()).update();
    }

    /** A parked event: which copy of it counts (level and hop), and how it has failed so far. */
    record Parked(long seq, UUID eventId, int level, int hop, int attempts, Optional<Instant> firstFailure) {}
}
