package dev.millions.app.follow;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class FollowRepository {

    private final JdbcClient jdbc;

    FollowRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void follow(long followerId, long followeeId) {
        jdbc.sql("INSERT INTO follows (follower_id, followee_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .params(followerId, followeeId).update();
    }

    void unfollow(long followerId, long followeeId) {
        jdbc.sql("DELETE FROM follows WHERE follower_id = ? AND followee_id = ?").params(followerId, followeeId)
            .update();
    }
}
