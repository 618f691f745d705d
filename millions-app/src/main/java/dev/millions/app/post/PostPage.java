package dev.millions.app.post;

import java.util.List;

/** One page of posts, newest first; {@code nextCursor} is null on the last page. */
public record PostPage(List<Post> items, String nextCursor) {

    /** A page from up to {@code limit + 1} rows: the extra row only says that more exist. */
    static PostPage of(List<Post> rows, int limit) {
        if (rows.size() <= limit) {
            return new PostPage(rows, null);
        }
        List<Post> page = rows.subList(0, limit);
        return new PostPage(List.copyOf(page), Cursor.encode(page.getLast().id()));
    }
}
