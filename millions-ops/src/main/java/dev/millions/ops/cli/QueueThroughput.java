package dev.millions.ops.cli;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/**
 * The workers' throughput: a batch of events written straight to the outbox (posts of many authors,
 * each fanned out to its followers; their photo's thumbnails exist already, so the batch measures the
 * queue and the fan-out, not image decoding), timed from the commit to the last effect.
 */
final class QueueThroughput {

    private static final String GROUP = "millions-workers";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final DataSource database;
    private final String bootstrap;

    QueueThroughput(DataSource database, String bootstrap) {
        this.database = database;
        this.bootstrap = bootstrap;
    }

    /** Waits until the workers' consumer group has {@code members} members, each with partitions. */
    void awaitGroup(int members) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String seen = "";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (System.nanoTime() < deadline) {
                try {
                    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all()
                                                          .get(10, TimeUnit.SECONDS).get(GROUP);
                    seen = group.members().size() + " members, state " + group.state();
                    if (group.members().size() == members
                        && group.members().stream().allMatch(member -> !member.assignment().topicPartitions().isEmpty())) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    seen = e.toString();
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the workers' group did not settle on " + members + " members within "
                                        + TIMEOUT.toMinutes() + " min; last seen: " + seen);
    }

    /** Writes {@code events} post events by these authors to the outbox; returns events per second to their effects. */
    double measure(List<Long> authors, String imageName, int events) throws SQLException, InterruptedException {
        List<String> ids = new ArrayList<>();
        long startNanos;
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     WITH made AS (INSERT INTO posts (author_id, caption, image_name, content_type, width, height)
                                   SELECT a.id, 'bench', ?, 'image/png', 400, 40
                                     FROM generate_series(1, ?) AS g (n)
                                     JOIN unnest(?) WITH ORDINALITY AS a (id, i) ON a.i = 1 + g.n % cardinality(?)
                                   RETURNING id, author_id, image_name, created_at)
                     INSERT INTO outbox (topic, event_key, payload)
                     SELECT 'posts', author_id::text,
                            jsonb_build_object('eventId', gen_random_uuid(), 'type', 'post-created', 'postId', id,
                                               'authorId', author_id, 'imageName', image_name, 'at', created_at)
                       FROM made
                     RETURNING payload ->> 'eventId'""")) {
            Array authorIds = connection.createArrayOf("bigint", authors.toArray());
            statement.setString(1, imageName);
            statement.setInt(2, events);
            statement.setArray(3, authorIds);
            statement.setArray(4, authorIds);
            startNanos = System.nanoTime();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        long deadline = startNanos + TIMEOUT.toNanos();
        while (applied(ids) < ids.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the workers applied " + applied(ids) + " of " + ids.size()
                                                + " events within " + TIMEOUT.toMinutes() + " min");
            }
            Thread.sleep(100);
        }
        return ids.size() / ((System.nanoTime() - startNanos) / 1e9);
    }

    private long applied(List<String> ids) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT count(*) FROM applied_events WHERE event_id = ANY(CAST(? AS uuid[]))")) {
            statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
