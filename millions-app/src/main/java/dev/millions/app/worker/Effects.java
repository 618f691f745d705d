package dev.millions.app.worker;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Applies an event's effects, in the caller's transaction, at most once: the event's id goes into
 * {@code applied_events} first. A duplicate delivered while the first copy's transaction is open waits
 * on that primary key; once the first commits, {@code ON CONFLICT DO NOTHING} inserts nothing and the
 * duplicate applies nothing; if the first rolls back, the duplicate applies. Remembering what was done
 * after doing it could not close that race; a unique key taken before doing it does.
 */
@Component
class Effects {

    private final JdbcClient jdbc;
    private final FeedFanOut feed;
    private final Thumbnailer thumbnails;

    Effects(JdbcClient jdbc, FeedFanOut feed, Thumbnailer thumbnails) {
        this.jdbc = jdbc;
        this.feed = feed;
        this.thumbnails = thumbnails;
    }

    /** Applies the event; false when it had been applied already. */
    boolean apply(Event event) {
        if (jdbc.sql("INSERT INTO applied_events (event_id) VALUES (?) ON CONFLICT DO NOTHING").param(event.id())
                .update() == 0) {
            return false;
        }
        switch (event.type()) {
            case "post-created" -> {
                thumbnails.make(event.text("imageName"));
                feed.postCreated(event.number("postId"), event.number("authorId"));
            }
            case "post-deleted" -> feed.postDeleted(event.number("postId"));
            case "followed" -> feed.followed(event.number("followerId"), event.number("followeeId"));
            case "unfollowed" -> feed.unfollowed(event.number("followerId"), event.number("followeeId"));
            default -> throw new PoisonEventException("event " + event.id() + " has an unknown type: '" + event.type() + '\'');
        }
        return true;
    }

    /** Forgets applied events older than Kafka keeps messages: no duplicate of them can arrive any more. */
    int forgetOlderThanDays(int days) {
        return jdbc.sql("DELETE FROM applied_events WHERE applied_at < now() - make_interval(days => ?)").param(days)
                   .update();
    }
}
