package dev.millions.app.post;

import java.time.Instant;

/** A photo with its caption, as the API shows it. */
public record Post(long id, Author author, String caption, String imageUrl, String contentType, int width,
                   int height, Instant createdAt) {

    public record Author(String username, String displayName) {}
}
