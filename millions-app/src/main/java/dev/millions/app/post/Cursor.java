package dev.millions.app.post;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.millions.app.web.Problems;

/**
 * An opaque position in a newest-first list: the id of the last post of the page before. Keyset
 * pagination, so a page costs the same however deep it is, and posts added meanwhile neither repeat
 * nor vanish. The "v1:" prefix lets the format change without breaking the links people hold.
 */
public final class Cursor {

    /** The position of the first page: before every post. */
    public static final long NONE = Long.MAX_VALUE;

    private static final String PREFIX = "v1:";

    private Cursor() {}

    public static String encode(long lastId) {
        byte[] text = (PREFIX + lastId).getBytes(StandardCharsets.UTF_8);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text);
    }

    /** The id to continue below; {@link #NONE} for the first page. */
    public static long decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return NONE;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                long id = Long.parseLong(text.substring(PREFIX.length()));
                if (id > 0) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the same answer as any other malformed cursor.
        }
        throw Problems.badRequest("cursor: malformed (expected: the nextCursor of an earlier page)");
    }
}
