package dev.millions.ops.cli;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

/**
 * What the queue drill reads of the workers' effects, on the primary: for each post, whether every
 * follower's feed has it (and nobody else's) and its thumbnails are made; for each deletion, whether
 * every feed lost it. Effects are counted as rows, not messages.
 */
final class QueueEffects {

    /** The thumbnails a post's photo gets (320 and 640 pixels wide, the workers' default). */
    static final int THUMBNAILS = 2;

    private final DataSource database;
    private final Map<Long, Long> effectNanos = new ConcurrentHashMap<>();

    QueueEffects(DataSource database) {
        this.database = database;
    }

    /**
     * Notes which of these posts have their effects, and when that was first seen: their photo's
     * thumbnails, made in the same transaction as the fan-out (and kept when the post is deleted).
     */
    void observe(Collection<QueueDrillLoad.Post> posts) throws SQLException {
        Map<String, Long> unseen = new HashMap<>();
        posts.stream().filter(post -> !effectNanos.containsKey(post.id()))
             .forEach(post -> unseen.put(post.imageName(), post.id()));
        if (unseen.isEmpty()) {
            return;
        }
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT image_name FROM thumbnails WHERE image_name = ANY(?) GROUP BY image_name HAVING count(*) >= "
                     + THUMBNAILS)) {
            statement.setArray(1, connection.createArrayOf("text", unseen.keySet().toArray()));
            long now = System.nanoTime();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    effectNanos.putIfAbsent(unseen.get(rows.getString(1)), now);
                }
            }
        }
    }

    /** When the post's effects were first seen, if they were. */
    Optional<Long> effectNanos(long post) {
        return Optional.ofNullable(effectNanos.get(post));
    }

    /** The drill's verdict on the effects, read now. */
    Verdict check(Collection<Long> posts, Collection<Long> deletions, Collection<Long> poison) throws SQLException {
        try (Connection connection = database.getConnection()) {
            Array ids = connection.createArrayOf("bigint", posts.toArray());
            long missing = 0;
            long stray = 0;
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT p.id,
                           (SELECT count(*) FROM follows fo WHERE fo.followee_id = p.author_id) AS followers,
                           (SELECT count(*) FROM feed_entries f WHERE f.post_id = p.id) AS entries,
                           (SELECT count(*) FROM feed_entries f
                              JOIN follows fo ON fo.follower_id = f.user_id AND fo.followee_id = p.author_id
                             WHERE f.post_id = p.id) AS matching,
                           (SELECT count(*) FROM thumbnails t WHERE t.image_name = p.image_name) AS thumbnails
                      FROM posts p WHERE p.id = ANY(?)""")) {
                statement.setArray(1, ids);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        if (poison.contains(rows.getLong(1))) {
                            continue;
                        }
                        if (rows.getLong("matching") < rows.getLong("followers") || rows.getLong("thumbnails") < THUMBNAILS) {
                            missing++;
                        }
                        stray += rows.getLong("entries") - rows.getLong("matching");
                    }
                }
            }
            long undeleted = 0;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT count(DISTINCT post_id) FROM feed_entries WHERE post_id = ANY(?)")) {
                statement.setArray(1, connection.createArrayOf("bigint", deletions.toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    undeleted = rows.getLong(1);
                }
            }
            long duplicated;
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT (SELECT count(*) - count(DISTINCT (user_id, post_id)) FROM feed_entries)
                         + (SELECT count(*) - count(DISTINCT (image_name, width)) FROM thumbnails)""");
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                duplicated = rows.getLong(1);
            }
            long backlog;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM parked_events)");
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                backlog = rows.getLong(1);
            }
            return new Verdict(missing, undeleted, stray, duplicated, backlog);
        }
    }

    /**
     * @param missing acknowledged posts that a follower's feed lacks, or whose thumbnails are not made
     * @param undeleted acknowledged deletions whose post is still in a feed
     * @param stray feed entries of a post in the feed of someone who does not follow its author
     * @param duplicated effects present twice
     * @param backlog events not yet published (outbox) or waiting for a retry (parked)
     */
    record Verdict(long missing, long undeleted, long stray, long duplicated, long backlog) {

        long lost() {
            return missing + undeleted;
        }

        boolean settled() {
            return lost() == 0 && backlog == 0;
        }
    }
}
