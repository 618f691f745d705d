package dev.millions.app.post;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.millions.app.cache.CacheKey;
import dev.millions.app.cache.CacheSpec;
import dev.millions.app.cache.ReadCache;
import dev.millions.app.database.Reads;
import dev.millions.app.media.ImageInspector.InspectedImage;
import dev.millions.app.queue.TraceContext;
import dev.millions.app.user.User;
import dev.millions.app.user.UserRepository;

@Repository
public class PostRepository {

    private static final String COLUMNS = """
            p.id, p.caption, p.image_name, p.content_type, p.width, p.height, p.created_at, u.username,
            u.display_name""";

    private static final String SELECT = "SELECT " + COLUMNS + " FROM posts p JOIN users u ON u.id = p.author_id";

    /**
     * Several authors' first pages with their counts (in the same snapshot as the page); an author with
     * no posts gives one row of nulls.
     */
    private static final String FIRST_PAGES = """
            SELECT a.id AS author, %s, coalesce(c.posts, 0) AS post_count
              FROM unnest(CAST(:authors AS bigint[])) AS a (id)
              LEFT JOIN post_counts c ON c.user_id = a.id
              LEFT JOIN LATERAL (SELECT * FROM posts WHERE author_id = a.id ORDER BY id DESC LIMIT :limit) AS p
                     ON true
              LEFT JOIN users u ON u.id = p.author_id
             ORDER BY a.id, p.id DESC""".formatted(COLUMNS);

    /** The first page and, in the same snapshot, how many posts the author has: the profile's count. */
    private static final String SELECT_WITH_COUNT = "SELECT " + COLUMNS + """
            , coalesce((SELECT posts FROM post_counts WHERE user_id = :author), 0) AS post_count
              FROM posts p JOIN users u ON u.id = p.author_id
             WHERE p.author_id = :author ORDER BY p.id DESC LIMIT :limit""";

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

    /**
     * The feed that workers fan out on write: the reader's entries, with the reader's own posts and those
     * of the celebrities they follow merged in (those are not pushed to each follower). Each part is
     * walked from its index below the cursor, so a page costs (celebrities followed + 2) x limit entries.
     */
    private static final String FANNED_OUT_FEED = """
            SELECT %s
              FROM (SELECT ids.id FROM ((SELECT post_id FROM feed_entries
                                          WHERE user_id = :reader AND post_id < :before
                                          ORDER BY post_id DESC LIMIT :limit)
                                        UNION
                                        (SELECT newest.id
                                           FROM (SELECT CAST(:reader AS bigint)
                                                 UNION ALL SELECT f.followee_id FROM follows f
                                                             JOIN celebrities c ON c.user_id = f.followee_id
                                                            WHERE f.follower_id = :reader) AS authors (id)
                                          CROSS JOIN LATERAL (SELECT id FROM posts
                                                               WHERE author_id = authors.id AND id < :before
                                                               ORDER BY id DESC LIMIT :limit) AS newest)) AS ids (id)
                     ORDER BY ids.id DESC LIMIT :limit) AS page
              JOIN posts p ON p.id = page.id
              JOIN users u ON u.id = p.author_id
             ORDER BY p.id DESC""".formatted(COLUMNS);

    private static final RowMapper<Post> POST_ROW = (rs, row) -> new Post(
            rs.getLong("id"), new Post.Author(rs.getString("username"), rs.getString("display_name")),
            rs.getString("caption"), "/media/" + rs.getString("image_name"), rs.getString("content_type"),
            rs.getInt("width"), rs.getInt("height"), rs.getTimestamp("created_at").toInstant());

    // A post never changes, and neither does a page below a cursor (new posts get higher ids); the
    // first page of a user's posts (with their post count) changes with each post of theirs, which
    // invalidates it. A feed's
    // first page is not cached as such: it is merged from its authors' cached first pages, so it is as
    // fresh as they are.
    private static final CacheSpec POST = new CacheSpec("post", Duration.ofHours(1), Duration.ofSeconds(10), true);
    private static final CacheSpec USER_POSTS = new CacheSpec("user-posts", Duration.ofMinutes(10),
                                                              Duration.ofMinutes(10), true);
    /** Past this many authors, merging their pages costs more than the feed's own query. */
    private static final int MAX_MERGED_AUTHORS = 100;
    private static final String FIRST_PAGE = "first";
    private static final TypeReference<Post> POST_TYPE = new TypeReference<>() {};
    private static final TypeReference<List<Post>> ROWS_TYPE = new TypeReference<>() {};
    private static final TypeReference<AuthorPage> AUTHOR_PAGE_TYPE = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final Reads reads;
    private final ReadCache cache;
    private final UserRepository users;

    PostRepository(JdbcClient jdbc, Reads reads, ReadCache cache, UserRepository users) {
        this.jdbc = jdbc;
        this.reads = reads;
        this.cache = cache;
        this.users = users;
    }

    /**
     * Stores a post and returns it as the API shows it, built from what was inserted and the (cached)
     * author, so that a new post costs no read of its own.
     */
    Post create(User author, String caption, String imageName, InspectedImage image) {
        // The author's count and the event go in the same statement, so in the same transaction as the post.
        Post created = jdbc.sql("""
                                WITH counted AS (INSERT INTO post_counts AS c (user_id, posts) VALUES (:author, 1)
                                                 ON CONFLICT (user_id) DO UPDATE SET posts = c.posts + 1),
                                     made AS (INSERT INTO posts (author_id, caption, image_name, content_type, width, height)
                                              VALUES (:author, :caption, :image, :type, :width, :height)
                                              RETURNING id, author_id, created_at, image_name),
                                     event AS (INSERT INTO outbox (topic, event_key, payload, traceparent, request_id)
                                               SELECT 'posts', author_id::text,
                                                      jsonb_build_object('eventId', gen_random_uuid(), 'type', 'post-created',
                                                                         'postId', id, 'authorId', author_id,
                                                                         'imageName', image_name, 'at', created_at),
                                                      CAST(:traceparent AS text), CAST(:requestId AS text)
                                               FROM made)
                                SELECT id, created_at FROM made""")
                           .param("author", author.id()).param("caption", caption).param("image", imageName)
                           .param("type", image.type().contentType()).param("width", image.width())
                           .param("height", image.height()).params(TraceContext.current().outboxParameters())
                           .query((rs, row) -> new Post(rs.getLong("id"),
                                                        new Post.Author(author.username(), author.displayName()),
                                                        caption, "/media/" + imageName, image.type().contentType(),
                                                        image.width(), image.height(),
                                                        rs.getTimestamp("created_at").toInstant()))
                           .single();
        cache.put(POST.key(created.id()), created, USER_POSTS.key(author.id(), FIRST_PAGE));
        return created;
    }

    /**
     * Deletes a post of {@code authorId}'s, and counts it off and writes its event in the same statement;
     * whether it was there to delete. The photo's file stays: another post may show the same bytes, and the media handler no
     * longer serves an image that no post shows.
     */
    boolean delete(long authorId, long postId) {
        boolean deleted = jdbc.sql("""
                                   WITH deleted AS (DELETE FROM posts WHERE id = :post AND author_id = :author
                                                    RETURNING id, author_id),
                                        event AS (INSERT INTO outbox (topic, event_key, payload, traceparent, request_id)
                                                  SELECT 'posts', author_id::text,
                                                         jsonb_build_object('eventId', gen_random_uuid(), 'type', 'post-deleted',
                                                                            'postId', id, 'authorId', author_id,
                                                                            'at', clock_timestamp()),
                                                         CAST(:traceparent AS text), CAST(:requestId AS text)
                                                  FROM deleted),
                                        dropped AS (DELETE FROM post_counts WHERE user_id = :author AND posts = 1
                                                    AND EXISTS (SELECT 1 FROM deleted)),
                                        lowered AS (UPDATE post_counts SET posts = posts - 1
                                                    WHERE user_id = :author AND posts > 1 AND EXISTS (SELECT 1 FROM deleted))
                                   SELECT count(*) FROM deleted""")
                              .param("post", postId).param("author", authorId)
                              .params(TraceContext.current().outboxParameters()).query(Long.class).single() > 0;
        if (deleted) {
            cache.invalidate(POST.key(postId), USER_POSTS.key(authorId, FIRST_PAGE));
        }
        return deleted;
    }

    public Optional<Post> find(long id) {
        return cache.get(POST.key(id), POST_TYPE,
                         () -> reads.sql(SELECT + " WHERE p.id = ?").param(id).query(POST_ROW).optional());
    }

    public PostPage byAuthor(long authorId, long beforeId, int limit) {
        if (beforeId == Cursor.NONE && limit == PageLimit.DEFAULT) {
            return PostPage.of(firstPage(authorId).rows(), limit);
        }
        Supplier<Optional<List<Post>>> load = () -> Optional.of(authorRows(authorId, beforeId, limit));
        return PostPage.of(beforeId == Cursor.NONE ? load.get().orElseThrow()
                           : cache.get(USER_POSTS.key(authorId, beforeId, limit), ROWS_TYPE, load).orElseThrow(),
                           limit);
    }

    /** How many posts the author has made. */
    public long postCount(long authorId) {
        return firstPage(authorId).postCount();
    }

    /** The author's newest posts (a default page and one more) and their number: one entry, one query. */
    private AuthorPage firstPage(long authorId) {
        return cache.get(USER_POSTS.key(authorId, FIRST_PAGE), AUTHOR_PAGE_TYPE,
                         () -> Optional.of(loadFirstPage(authorId))).orElseThrow();
    }

    /** Several authors' first pages in one query. */
    private Map<Long, AuthorPage> loadFirstPages(List<Long> authors) {
        Map<Long, List<Post>> rows = new HashMap<>();
        Map<Long, Long> counts = new HashMap<>();
        authors.forEach(author -> {
            rows.put(author, new ArrayList<>());
            counts.put(author, 0L);
        });
        reads.sql(FIRST_PAGES).param("authors", authors.stream().map(String::valueOf)
                                                       .collect(Collectors.joining(",", "{", "}")))
             .param("limit", PageLimit.DEFAULT + 1)
             .query((RowCallbackHandler) rs -> {
                 long author = rs.getLong("author");
                 counts.put(author, rs.getLong("post_count"));
                 if (rs.getObject("id") != null) {
                     rows.get(author).add(POST_ROW.mapRow(rs, 0));
                 }
             });
        Map<Long, AuthorPage> pages = new HashMap<>();
        authors.forEach(author -> pages.put(author, new AuthorPage(List.copyOf(rows.get(author)), counts.get(author))));
        return pages;
    }

    private AuthorPage loadFirstPage(long authorId) {
        long[] count = {0};
        List<Post> rows = reads.sql(SELECT_WITH_COUNT).param("author", authorId).param("limit", PageLimit.DEFAULT + 1)
                               .query((rs, row) -> {
                                   count[0] = rs.getLong("post_count");
                                   return POST_ROW.mapRow(rs, row);
                               }).list();
        return new AuthorPage(rows, count[0]);
    }

    private List<Post> authorRows(long authorId, long beforeId, int limit) {
        return reads.sql(SELECT + " WHERE p.author_id = ? AND p.id < ? ORDER BY p.id DESC LIMIT ?")
                    .params(authorId, beforeId, limit + 1).query(POST_ROW).list();
    }

    /** The home feed: the reader's own posts and those of everyone they follow. */
    public PostPage feed(long readerId, long beforeId, int limit) {
        if (beforeId == Cursor.NONE && limit == PageLimit.DEFAULT && cache.active()) {
            List<Long> authors = new ArrayList<>(users.following(readerId));
            authors.add(readerId);
            if (authors.size() <= MAX_MERGED_AUTHORS) {
                return PostPage.of(mergedFirstPages(authors), limit);
            }
        }
        return PostPage.of(reads.sql(FEED).param("reader", readerId).param("before", beforeId)
                                .param("limit", limit + 1).query(POST_ROW).list(), limit);
    }

    /** The home feed as the workers fanned it out (see {@code FeedFanOut} in the worker package). */
    public PostPage fannedOutFeed(long readerId, long beforeId, int limit) {
        return PostPage.of(reads.sql(FANNED_OUT_FEED).param("reader", readerId).param("before", beforeId)
                                .param("limit", limit + 1).query(POST_ROW).list(), limit);
    }

    /**
     * The newest {@code DEFAULT + 1} posts of these authors: each author's first page holds their newest
     * {@code DEFAULT + 1}, so the newest of all are among them.
     */
    private List<Post> mergedFirstPages(List<Long> authors) {
        List<CacheKey> keys = authors.stream().map(author -> USER_POSTS.key(author, FIRST_PAGE)).toList();
        List<Optional<AuthorPage>> pages = cache.getAll(keys, AUTHOR_PAGE_TYPE, missing -> {
            Map<Long, AuthorPage> loaded = loadFirstPages(missing.stream().map(key -> authors.get(keys.indexOf(key)))
                                                                 .toList());
            return missing.stream().map(key -> Optional.of(loaded.get(authors.get(keys.indexOf(key))))).toList();
        });
        return pages.stream().flatMap(page -> page.orElseThrow().rows().stream())
                    .sorted(Comparator.comparingLong(Post::id).reversed()).limit(PageLimit.DEFAULT + 1).toList();
    }

    /** An author's first page of posts and how many posts they have. */
    record AuthorPage(List<Post> rows, long postCount) {}
}
