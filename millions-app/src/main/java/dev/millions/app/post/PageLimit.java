package dev.millions.app.post;

import dev.millions.app.web.Problems;

/** The {@code limit} of a page request, checked once for every list endpoint. */
public final class PageLimit {

    public static final int DEFAULT = 20;
    public static final int MAX = 100;

    private PageLimit() {}

    public static int check(int limit) {
        if (limit < 1 || limit > MAX) {
            throw Problems.badRequest("limit: " + limit + " (expected: 1.." + MAX + ")");
        }
        return limit;
    }
}
