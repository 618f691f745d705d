package dev.millions.app.feed;

import dev.millions.app.post.PostPage;

/**
 * Where a page of the home feed comes from: the one read that crosses authors, so crosses database
 * clusters once posts and follows are spread over them by user ({@code dev.millions.jdbc.ClusterRouter}).
 * Today one cluster holds them all, and a page is one query, or a merge of the authors' cached first
 * pages ({@link dev.millions.app.post.PostRepository#feed}); a sharded data tier gives this seam an
 * implementation that asks each cluster for its share of the authors and merges the pages.
 */
@FunctionalInterface
interface FeedSource {

    PostPage page(long readerId, long beforeId, int limit);
}
