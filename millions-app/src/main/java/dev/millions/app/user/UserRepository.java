package dev.millions.app.user;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.millions.app.cache.CacheSpec;
import dev.millions.app.cache.ReadCache;
import dev.millions.app.database.Reads;
import dev.millions.app.web.Problems;

@Repository
public class UserRepository {

    private static final RowMapper<User> USER_ROW = (rs, row) -> new User(
            rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
            rs.getTimestamp("created_at").toInstant());

    private static final Pattern USERNAME = Pattern.compile(User.USERNAME_PATTERN);

    // A user never changes once signed up; follow counts and whom someone follows change only with a
    // follow or unfollow, which invalidates them. The lifetimes only bound a lost invalidation.
    private static final CacheSpec USER_BY_NAME = new CacheSpec("user-by-name", Duration.ofMinutes(10),
                                                                Duration.ofSeconds(10), true);
    private static final CacheSpec USER = new CacheSpec("user", Duration.ofMinutes(10), Duration.ofSeconds(10), true);
    private static final CacheSpec FOLLOW_COUNTS = new CacheSpec("follow-counts", Duration.ofMinutes(10),
                                                                 Duration.ofSeconds(10), true);
    // Whom a user follows, as one entry: every profile they view is answered from it. A user who follows
    // so many that the list passes the value limit is simply not cached.
    private static final CacheSpec FOLLOWING = new CacheSpec("following", Duration.ofMinutes(10),
                                                             Duration.ofMinutes(10), true);
    private static final TypeReference<User> USER_TYPE = new TypeReference<>() {};
    private static final TypeReference<FollowCounts> FOLLOW_COUNTS_TYPE = new TypeReference<>() {};
    private static final TypeReference<List<Long>> IDS_TYPE = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final Reads reads;
    private final ReadCache cache;

    UserRepository(JdbcClient jdbc, Reads reads, ReadCache cache) {
        this.jdbc = jdbc;
        this.reads = reads;
        this.cache = cache;
    }

    User create(String username, String displayName, String passwordHash) {
        User created;
        try {
            created = jdbc.sql("""
                               INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, ?)
                               RETURNING id, username, display_name, created_at""")
                          .params(username, displayName, passwordHash).query(USER_ROW).single();
        } catch (DuplicateKeyException e) {
            throw Problems.conflict("username '" + username + "' is taken");
        }
        // Someone may have looked the name or the id up before it existed: "not found" is cached too.
        cache.invalidate(USER_BY_NAME.key(username), USER.key(created.id()));
        return created;
    }

    public Optional<User> findByUsername(String username) {
        if (cannotExist(username)) {
            return Optional.empty();
        }
        return cache.get(USER_BY_NAME.key(username), USER_TYPE, () -> reads.sql(
                "SELECT id, username, display_name, created_at FROM users WHERE username = ?")
                .param(username).query(USER_ROW).optional());
    }

    public Optional<User> findById(long id) {
        return cache.get(USER.key(id), USER_TYPE, () -> reads.sql(
                "SELECT id, username, display_name, created_at FROM users WHERE id = ?")
                .param(id).query(USER_ROW).optional());
    }

    /** The user and their password hash, for logging in. */
    public Optional<Credentials> findCredentials(String username) {
        if (cannotExist(username)) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT id, password_hash FROM users WHERE username = ?").param(username)
                   .query((rs, row) -> new Credentials(rs.getLong("id"), rs.getString("password_hash"))).optional();
    }

    /** The user of that name, or a 404 problem. */
    public User require(String username) {
        return findByUsername(username).orElseThrow(() -> Problems.notFound("user '" + username + "' not found"));
    }

    /** How many follow the user, and how many they follow. */
    public FollowCounts followCounts(long userId) {
        return cache.get(FOLLOW_COUNTS.key(userId), FOLLOW_COUNTS_TYPE, () -> Optional.of(reads.sql("""
                SELECT (SELECT count(*) FROM follows WHERE followee_id = :id) AS followers,
                       (SELECT count(*) FROM follows WHERE follower_id = :id) AS following""")
                .param("id", userId)
                .query((rs, row) -> new FollowCounts(rs.getLong("followers"), rs.getLong("following")))
                .single())).orElseThrow();
    }

    /** All of a user's counts in one query, for when nothing is cached. */
    public Counts countsWithPosts(long userId) {
        return reads.sql("""
                         SELECT (SELECT count(*) FROM follows WHERE followee_id = :id) AS followers,
                                (SELECT count(*) FROM follows WHERE follower_id = :id) AS following,
                                coalesce((SELECT posts FROM post_counts WHERE user_id = :id), 0) AS posts""")
                    .param("id", userId)
                    .query((rs, row) -> new Counts(new FollowCounts(rs.getLong("followers"), rs.getLong("following")),
                                                   rs.getLong("posts")))
                    .single();
    }

    /** Whether the one follows the other. */
    public boolean isFollowing(long followerId, long followeeId) {
        return Collections.binarySearch(following(followerId), followeeId) >= 0;
    }

    /** The ids of everyone the user follows, in ascending order. */
    public List<Long> following(long followerId) {
        return cache.get(FOLLOWING.key(followerId), IDS_TYPE, () -> Optional.of(reads.sql(
                "SELECT followee_id FROM follows WHERE follower_id = ? ORDER BY followee_id")
                .param(followerId).query(Long.class).list())).orElseThrow();
    }

    /** What a follow or unfollow changes: both users' counts and whom the follower follows. */
    public void followChanged(long followerId, long followeeId) {
        cache.invalidate(FOLLOW_COUNTS.key(followerId), FOLLOW_COUNTS.key(followeeId), FOLLOWING.key(followerId));
    }

    /**
     * A name that breaks the username rules was never signed up, so it needs no query; this also keeps
     * strings PostgreSQL refuses (such as U+0000) away from it.
     */
    private static boolean cannotExist(String username) {
        return !USERNAME.matcher(username).matches();
    }

    public record Credentials(long userId, String passwordHash) {}

    public record FollowCounts(long followers, long following) {}

    public record Counts(FollowCounts follows, long posts) {}
}
