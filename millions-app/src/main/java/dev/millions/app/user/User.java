package dev.millions.app.user;

import java.time.Instant;

/** A member of the service, as other people see them. */
public record User(long id, String username, String displayName, Instant createdAt) {

    /** What a username may be. */
    static final String USERNAME_PATTERN = "[a-z0-9_]{3,30}";
}
