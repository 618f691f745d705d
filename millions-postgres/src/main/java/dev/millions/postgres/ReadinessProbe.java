package dev.millions.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Decides readiness the only way that counts: a client logs in and runs a query. */
final class ReadinessProbe {

    private static final long POLL_MILLIS = 50;

    private ReadinessProbe() {}

    static boolean connects(String jdbcUrl, String username, String password) {
        try (Connection connection = connect(jdbcUrl, username, password)) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    static Connection connect(String jdbcUrl, String username, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("ApplicationName", "millions-launcher");
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /**
     * Polls until a connection succeeds.
     *
     * @param alive false once the server process has exited, which ends the wait at once
     * @param logTail the server's last log lines, for the failure message
     */
    static void awaitConnection(String jdbcUrl, String username, String password, Duration timeout,
                                BooleanSupplier alive, Supplier<String> logTail) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new PostgresException("PostgreSQL exited during start-up after " + elapsedMillis(start)
                                            + " ms" + describe(logTail.get()));
            }
            try (Connection connection = connect(jdbcUrl, username, password)) {
                if (connection.isValid(2)) {
                    return;
                }
            } catch (SQLException e) {
                last = e;
                if (isAuthenticationFailure(e)) {
                    throw new PostgresException("PostgreSQL at " + jdbcUrl + " refused the credentials of '"
                                                + username + "': " + e.getMessage(), e);
                }
            }
            sleep(POLL_MILLIS);
        }
        throw new PostgresException("PostgreSQL at " + jdbcUrl + " did not accept a connection within "
                                    + elapsedMillis(start) + " ms (last error: "
                                    + (last == null ? "none" : last.getMessage()) + ')' + describe(logTail.get()),
                                    last);
    }

    private static boolean isAuthenticationFailure(SQLException e) {
        // 28P01 invalid_password, 28000 invalid_authorization_specification
        return "28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState());
    }

    private static String describe(String logTail) {
        return logTail.isBlank() ? "" : "; last log lines:\n" + logTail;
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresException("interrupted while waiting for PostgreSQL to start", e);
        }
    }
}
