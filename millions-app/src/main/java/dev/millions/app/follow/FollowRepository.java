package dev.millions.app.follow;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.millions.app.queue.TraceContext;
import dev.millions.app.user.UserRepository;

@Repository
class FollowRepository {

    private final JdbcClient jdbc;
    private final UserRepository users;

    FollowRepository(JdbcClient jdbc, UserRepository users) {
        this.jdbc = jdbc;
        this.users = users;
    }

    /** Follows, with its event in the same statement; a follow that was there already is no event. */
    void follow(long followerId, long followeeId) {
        jdbc.sql("""
                 WITH made AS (INSERT INTO follows (follower_id, followee_id) VALUES (:follower, :followee)
                               ON CONFLICT DO NOTHING RETURNING follower_id, followee_id)
                 INSERT INTO outbox (topic, event_key, payload, traceparent, request_id)
                 SELECT 'follows', follower_id::text, jsonb_build_object('eventId', gen_random_uuid(), 'type', 'followed',
                        'followerId', follower_id, 'followeeId', followee_id, 'at', clock_timestamp()),
                        CAST(:traceparent AS text), CAST(:requestId AS text)
                 FROM made""").param("follower", followerId).param("followee", followeeId)
                        .params(TraceContext.current().outboxParameters()).update();
        changed(followerId, followeeId);
    }

    /** Unfollows, with its event in the same statement; no follow, no event. */
    void unfollow(long followerId, long followeeId) {
        jdbc.sql("""
                 WITH gone AS (DELETE FROM follows WHERE follower_id = :follower AND followee_id = :followee
                               RETURNING follower_id, followee_id)
                 INSERT INTO outbox (topic, event_key, payload, traceparent, request_id)
                 SELECT 'follows', follower_id::text, jsonb_build_object('eventId', gen_random_uuid(), 'type', 'unfollowed',
                        'followerId', follower_id, 'followeeId', followee_id, 'at', clock_timestamp()),
                        CAST(:traceparent AS text), CAST(:requestId AS text)
                 FROM gone""").param("follower", followerId).param("followee", followeeId)
                        .params(TraceContext.current().outboxParameters()).update();
        changed(followerId, followeeId);
    }

    /** Even when nothing changed: a retry may follow a request whose invalidation was lost. */
    private void changed(long followerId, long followeeId) {
        users.followChanged(followerId, followeeId);
    }
}
