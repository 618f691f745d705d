package dev.millions.app.follow;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.millions.app.user.UserRepository;

@Repository
class FollowRepository {

    private final JdbcClient jdbc;
    private final UserRepository users;

    FollowRepository(JdbcClient jdbc, UserRepository users) {
        this.jdbc = jdbc;
        this.users = users;
    }

    void follow(long followerId, long followeeId) {
        jdbc.sql("INSERT INTO follows (follower_id, followee_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .params(followerId, followeeId).update();
        changed(followerId, followeeId);
    }

    void unfollow(long followerId, long followeeId) {
        jdbc.sql("DELETE FROM follows WHERE follower_id = ? AND followee_id = ?").params(followerId, followeeId)
            .update();
        changed(followerId, followeeId);
    }

    /** Even when nothing changed: a retry may follow a request whose invalidation was lost. */
    private void changed(long followerId, long followeeId) {
        users.followChanged(followerId, followeeId);
    }
}
