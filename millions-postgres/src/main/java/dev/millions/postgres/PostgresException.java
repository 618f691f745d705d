package dev.millions.postgres;

/** A PostgreSQL server could not be installed, initialised, started or reached. */
public final class PostgresException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PostgresException(String message) {
        super(message);
    }

    public PostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
