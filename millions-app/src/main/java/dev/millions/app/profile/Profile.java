package dev.millions.app.profile;

import java.time.Instant;

/**
 * A user's page: who they are, their counts, and whether the viewer follows them ({@code null} when
 * nobody is logged in).
 */
public record Profile(long id, String username, String displayName, Instant createdAt, long followers,
                      long following, long posts, Boolean followedByMe) {}
