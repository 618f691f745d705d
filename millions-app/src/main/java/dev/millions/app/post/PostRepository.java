package dev.millions.app.post;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.millions.app.database.Reads;
import dev.millions.app.media.ImageInspector.InspectedImage;

@Repository
public class PostRepository {

    private static final String COLUMNS = """
            p.id, p.caption, p.image_name, p.content_type, p.width, p.height, p.created_at, u.username,
            u.display_name""";

    private static final String SELECT = "SELECT " + COLUMNS + " FROM posts p JOIN users u ON u.id = p.author_id";

    /**
     * The feed merges short runs: each author's newest posts below the cursor come from the
     * (author_id, id) index, so a page costs followees x limit index entries, however many posts the
     * table holds. Filtering the whole posts table by author instead walks it from the newest post
     * down, all of it when the people followed rarely post.
     */
    private static final String FEED = """
            SELECT %s
              FROM (SELECT newest.*
                      FROM (SELECT followee_id FROM follows WHERE follower_id = :reader
                            UNION ALL SELECT CAST(:reader AS bigint)) AS authors (id)
                      CROSS JOIN LATERAL (SELECT * FROM posts
                                           WHERE author_id = authors.id AND id < :before
                                           ORDER BY id DESC LIMIT :limit) AS newest
                     ORDER BY newest.id DESC LIMIT :limit) AS p
              JOIN users u ON u.id = p.author_id
             ORDER BY p.id DESC""".formatted(COLUMNS);

    private static final RowMapper<Post> POST = (rs, row) -> new Post(
            rs.getLong("id"), new Post.Author(rs.getString("username"), rs.getString("display_name")),
            rs.getString("caption"), "/media/" + rs.getString("image_name"), rs.getString("content_type"),
            rs.getInt("width"), rs.getInt("height"), rs.getTimestamp("created_at").toInstant());

    private final JdbcClient jdbc;
    private final Reads reads;

    PostRepository(JdbcClient jdbc, Reads reads) {
        this.jdbc = jdbc;
        this.reads = reads;
    }

    long create(long authorId, String caption, String imageName, InspectedImage image) {
        return jdbc.sql("""
                        INSERT INTO posts (author_id, caption, image_name, content_type, width, height)
                        VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")
                   .params(authorId, caption, imageName, image.type().contentType(), image.width(), image.height())
                   .query(Long.class).single();
    }

    public Optional<Post> find(long id) {
        return reads.sql(SELECT + " WHERE p.id = ?").param(id).query(POST).optional();
    }

    public PostPage byAuthor(long authorId, long beforeId, int limit) {
        List<Post> rows = reads.sql(SELECT + " WHERE p.author_id = ? AND p.id < ? ORDER BY p.id DESC LIMIT ?")
                              .params(authorId, beforeId, limit + 1).query(POST).list();
        return PostPage.of(rows, limit);
    }

    /** The home feed: the reader's own posts and those of everyone they follow. */
    public PostPage feed(long readerId, long beforeId, int limit) {
        List<Post> rows = reads.sql(FEED).param("reader", readerId).param("before", beforeId)
                              .param("limit", limit + 1).query(POST).list();
        return PostPage.of(rows, limit);
    }
}
