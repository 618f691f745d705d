package dev.millions.app.worker;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Fan-out on write, in a table of the database rather than Redis lists: the feed is then replicated,
 * survives a failover, and commits in the same transaction as the event's idempotency record, which a
 * second store could not. An author with {@code celebrity-followers} followers or more becomes a
 * celebrity: their posts are not pushed to each follower but merged in when a feed is read, the hybrid
 * that large feeds use (Twitter's timelines, after Krikorian's "Timelines at scale", 2013).
 *
 * <p>Races with the app's writes are closed by row locks, not by timing: pushing a post locks the
 * author's follows rows ({@code FOR SHARE}), so an unfollow in flight waits for it, and its own event,
 * which comes after, removes what was pushed; a new follow's backfill locks the posts it copies, so a
 * deletion waits likewise. Events of one key (the author, or the follower) arrive in order, so a post's
 * deletion is applied after its fan-out, even when that fan-out ran after the post was gone.
 */
@Component
class FeedFanOut {

    private final JdbcClient jdbc;
    private final int celebrityFollowers;
    private final int backfill;

    FeedFanOut(JdbcClient jdbc, WorkerProperties properties) {
        this.jdbc = jdbc;
        this.celebrityFollowers = properties.celebrityFollowers();
        this.backfill = properties.backfill();
    }

    void postCreated(long postId, long authorId) {
        if (isCelebrity(authorId)) {
            return;
        }
        jdbc.sql("""
                 INSERT INTO feed_entries (user_id, post_id, author_id)
                 SELECT follower_id, :post, :author FROM (SELECT follower_id FROM follows WHERE followee_id = :author
                                                          FOR SHARE) AS followers
                 ON CONFLICT DO NOTHING""").param("post", postId).param("author", authorId).update();
    }

    void postDeleted(long postId) {
        jdbc.sql("DELETE FROM feed_entries WHERE post_id = ?").param(postId).update();
    }

    void followed(long followerId, long followeeId) {
        if (isCelebrity(followeeId)) {
            return;
        }
        jdbc.sql("""
                 INSERT INTO feed_entries (user_id, post_id, author_id)
                 SELECT :follower, id, author_id FROM (SELECT id, author_id FROM posts WHERE author_id = :followee
                                                        ORDER BY id DESC LIMIT :limit FOR SHARE) AS newest
                 ON CONFLICT DO NOTHING""").param("follower", followerId).param("followee", followeeId)
            .param("limit", backfill).update();
    }

    void unfollowed(long followerId, long followeeId) {
        jdbc.sql("DELETE FROM feed_entries WHERE user_id = ? AND author_id = ?").params(followerId, followeeId).update();
    }

    /** Whether the author is a celebrity, made one the first time their followers reach the threshold. */
    private boolean isCelebrity(long authorId) {
        if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM celebrities WHERE user_id = ?)").param(authorId)
                .query(Boolean.class).single()) {
            return true;
        }
        long followers = jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM follows WHERE followee_id = ? LIMIT ?) AS f")
                             .params(authorId, celebrityFollowers).query(Long.class).single();
        if (followers < celebrityFollowers) {
            return false;
        }
        jdbc.sql("INSERT INTO celebrities (user_id) VALUES (?) ON CONFLICT DO NOTHING").param(authorId).update();
        return true;
    }
}
