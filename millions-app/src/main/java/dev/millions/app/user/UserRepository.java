package dev.millions.app.user;

import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.millions.app.database.Reads;
import dev.millions.app.web.Problems;

@Repository
public class UserRepository {

    private static final RowMapper<User> USER = (rs, row) -> new User(
            rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
            rs.getTimestamp("created_at").toInstant());

    private static final Pattern USERNAME = Pattern.compile(User.USERNAME_PATTERN);

    private final JdbcClient jdbc;
    private final Reads reads;

    UserRepository(JdbcClient jdbc, Reads reads) {
        this.jdbc = jdbc;
        this.reads = reads;
    }

    User create(String username, String displayName, String passwordHash) {
        try {
            return jdbc.sql("""
                            INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, ?)
                            RETURNING id, username, display_name, created_at""")
                       .params(username, displayName, passwordHash).query(USER).single();
        } catch (DuplicateKeyException e) {
            throw Problems.conflict("username '" + username + "' is taken");
        }
    }

    public Optional<User> findByUsername(String username) {
        if (cannotExist(username)) {
            return Optional.empty();
        }
        return reads.sql("SELECT id, username, display_name, created_at FROM users WHERE username = ?")
                   .param(username).query(USER).optional();
    }

    public Optional<User> findById(long id) {
        return reads.sql("SELECT id, username, display_name, created_at FROM users WHERE id = ?")
                   .param(id).query(USER).optional();
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

    /** The user with their counts, and whether {@code viewer} (when logged in) follows them. */
    Profile profile(User user, Optional<Long> viewer) {
        Boolean followedByViewer = viewer.map(viewerId -> isFollowing(viewerId, user.id())).orElse(null);
        return reads.sql("""
                         SELECT (SELECT count(*) FROM follows WHERE followee_id = :id) AS followers,
                                (SELECT count(*) FROM follows WHERE follower_id = :id) AS following,
                                (SELECT count(*) FROM posts WHERE author_id = :id) AS posts""")
                    .param("id", user.id())
                    .query((rs, row) -> new Profile(user.id(), user.username(), user.displayName(), user.createdAt(),
                                                    rs.getLong("followers"), rs.getLong("following"),
                                                    rs.getLong("posts"), followedByViewer))
                    .single();
    }

    private boolean isFollowing(long followerId, long followeeId) {
        return reads.sql("SELECT EXISTS (SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?)")
                   .params(followerId, followeeId).query(Boolean.class).single();
    }

    /**
     * A name that breaks the username rules was never signed up, so it needs no query; this also keeps
     * strings PostgreSQL refuses (such as U+0000) away from it.
     */
    private static boolean cannotExist(String username) {
        return !USERNAME.matcher(username).matches();
    }

    public record Credentials(long userId, String passwordHash) {}
}
