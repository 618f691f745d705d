package dev.millions.postgres;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/** A PostgreSQL server that someone else runs: we only connect to it. */
final class ExternalPostgresServer implements PostgresServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final Duration readyTimeout;

    ExternalPostgresServer(String jdbcUrl, String username, String password) {
        this(jdbcUrl, username, password, READY_TIMEOUT);
    }

    ExternalPostgresServer(String jdbcUrl, String username, String password, Duration readyTimeout) {
        this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl");
        this.username = requireNonNull(username, "username");
        this.password = requireNonNull(password, "password");
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("jdbcUrl: " + jdbcUrl + " (expected: jdbc:postgresql://host:port/database)");
        }
        this.readyTimeout = requireNonNull(readyTimeout, "readyTimeout");
    }

    @Override
    public void start() {
        ReadinessProbe.awaitConnection(jdbcUrl, username, password, readyTimeout, () -> true, () -> "");
    }

    @Override
    public void stop() {
        // Not ours to stop.
    }

    @Override
    public boolean isReady() {
        return ReadinessProbe.connects(jdbcUrl, username, password);
    }

    @Override
    public String jdbcUrl() {
        return jdbcUrl;
    }

    @Override
    public String username() {
        return username;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public Path logFile() {
        return null;
    }

    @Override
    public String toString() {
        return "ExternalPostgresServer{" + jdbcUrl + '}';
    }
}
