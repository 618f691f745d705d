package dev.millions.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import dev.millions.jdbc.ReplicatedDataSource.NodeStatus;
import dev.millions.jdbc.ReplicatedDataSource.Role;

/** One node: its pool, its probe connection and what the last probe said. */
final class DatabaseNode {

    private static final String PROBE = """
            SELECT pg_is_in_recovery(),
                   ((CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)
                    - '0/0'::pg_lsn)::bigint""";

    final String address;
    private final String url;
    private final Properties properties;
    private final HikariDataSource pool;
    private volatile @Nullable Connection probeConnection;
    private @Nullable CompletableFuture<Void> inFlight;
    volatile Role role = Role.DOWN;
    volatile long position = -1;
    volatile long lastAnswerNanos = System.nanoTime();
    volatile @Nullable SQLException lastError;
    final LongAdder reads = new LongAdder();

    DatabaseNode(String address, String database, String username, String password, int poolSize,
                 String applicationName) {
        this.address = address;
        this.url = "jdbc:postgresql://" + address + '/' + database;
        this.properties = new Properties();
        properties.setProperty("user", username);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("ApplicationName", applicationName);
        HikariConfig config = new HikariConfig();
        config.setPoolName("db " + address);
        config.setJdbcUrl(url);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        // The shortest HikariCP allows. A borrower waits this long even when the node refuses at once,
        // so it bounds how soon writers notice a dead primary (1 s here doubled the drill's failover
        // time); a busy pool or a slow new connection is simply asked again by the caller.
        config.setConnectionTimeout(250);
        config.setValidationTimeout(250);
        // A pool for a node that is down now must still be created; it fills when the node is back.
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("ApplicationName", applicationName);
        this.pool = new HikariDataSource(config);
    }

    /**
     * A pooled connection, or {@code null} when the node cannot be reached: it is then out of use
     * until a probe finds it again, and {@link #lastError} says why.
     *
     * @throws SQLException when the pool is busy: the node is fine, and waiting for another would not help
     */
    @Nullable Connection connection() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            if (e.getCause() == null) {
                throw e;
            }
            lastError = e;
            markDown();
            return null;
        }
    }

    /** Drops the pool's idle connections: after a role change they lead to the wrong place. */
    void evictConnections() {
        pool.getHikariPoolMXBean().softEvictConnections();
    }

    /** Starts a probe unless the last one still runs. */
    synchronized CompletableFuture<Void> probe() {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = CompletableFuture.runAsync(this::probeNow, Thread::startVirtualThread);
        }
        return inFlight;
    }

    private void probeNow() {
        try {
            if (probeConnection == null) {
                probeConnection = DriverManager.getConnection(url, properties);
            }
            try (Statement statement = probeConnection.createStatement();
                 ResultSet row = statement.executeQuery(PROBE)) {
                row.next();
                boolean replica = row.getBoolean(1);
                long lsn = row.getLong(2);
                position = row.wasNull() ? -1 : lsn;
                role = replica ? Role.REPLICA : Role.PRIMARY;
                lastAnswerNanos = System.nanoTime();
            }
        } catch (SQLException e) {
            markDown();
        }
    }

    /** Out of use until a probe finds it again. */
    void markDown() {
        role = Role.DOWN;
        Connection connection = probeConnection;
        probeConnection = null;
        if (connection != null) {
            try {
                // Without waiting: a probe stuck on a paused server holds the connection's lock.
                connection.abort(Thread::startVirtualThread);
            } catch (SQLException e) {
                // Dropped because it failed.
            }
        }
    }

    NodeStatus status(long primaryPosition) {
        Role now = role;
        long lag = now == Role.REPLICA && primaryPosition >= 0 && position >= 0
                   ? Math.max(0, primaryPosition - position) : -1;
        return new NodeStatus(address, now, position, lag, reads.sum());
    }

    void close() {
        markDown();
        pool.close();
    }
}
