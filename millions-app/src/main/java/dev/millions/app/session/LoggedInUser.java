package dev.millions.app.session;

/**
 * The user a request comes from, read from its session. A controller parameter of this type means that
 * the endpoint needs a login (401 otherwise); {@code Optional<LoggedInUser>} means that it does not.
 */
public record LoggedInUser(long id) {}
