package dev.millions.postgres;

import java.nio.file.Path;

/**
 * A PostgreSQL server that this process launched from the embedded binaries, or one that runs
 * elsewhere and is reached by its JDBC URL.
 *
 * <pre>{@code
 * PostgresServer db = PostgresServer.builder()
 *         .dataDirectory(Path.of("run/data/db"))
 *         .port(0) // any free port
 *         .build();
 * db.start();      // initdb on first use, start, and wait until a connection succeeds
 * db.jdbcUrl();    // jdbc:postgresql://127.0.0.1:PORT/millions
 * db.stop();
 * }</pre>
 */
public interface PostgresServer extends AutoCloseable {

    /** A builder for a server launched from the embedded binaries. */
    static PostgresServerBuilder builder() {
        return new PostgresServerBuilder();
    }

    /** A server that runs elsewhere; {@link #start()} only checks that it answers. */
    static PostgresServer external(String jdbcUrl, String username, String password) {
        return new ExternalPostgresServer(jdbcUrl, username, password);
    }

    /**
     * Initialises the data directory when it is new, starts the server and waits until it accepts a
     * connection.
     *
     * @throws PostgresException with the cause and the log's last lines when it cannot start
     */
    void start();

    /** Stops the server (a fast shutdown: open sessions are ended, committed work is kept). */
    void stop();

    /** Whether the server accepts a connection now. */
    boolean isReady();

    String jdbcUrl();

    String username();

    String password();

    /** The process id of the postmaster, or -1 when the server is not one this process runs. */
    long pid();

    /** The log file of a launched server, or {@code null} for an external one. */
    Path logFile();

    @Override
    default void close() {
        stop();
    }
}
