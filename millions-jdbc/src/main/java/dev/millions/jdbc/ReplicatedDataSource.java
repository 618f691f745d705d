package dev.millions.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

/**
 * A {@link DataSource} over a primary and its replicas: {@link #getConnection()} reaches the primary,
 * {@link #readConnection(long)} a replica fit to read from. It finds the primary itself by probing
 * every node, follows a failover within a probe interval or two, and during one makes writers wait
 * (up to a bound) for the new primary instead of failing them at once. One HikariCP pool per node.
 *
 * <p>Read-your-writes: after a write, take its position with {@link #writePosition(Connection)} and
 * carry it (in the user's session, say); {@code readConnection(position)} then only picks a replica
 * that has replayed that far, else the primary.
 *
 * <pre>{@code
 * ReplicatedDataSource db = ReplicatedDataSource.builder()
 *         .nodes(List.of("127.0.0.1:5433", "127.0.0.1:5434", "127.0.0.1:5435"))
 *         .database("millions").credentials("millions", password)
 *         .build();
 * }</pre>
 */
public interface ReplicatedDataSource extends DataSource, AutoCloseable {

    static ReplicatedDataSourceBuilder builder() {
        return new ReplicatedDataSourceBuilder();
    }

    /**
     * A connection to a replica that has replayed at least {@code minPosition} (0 for any) and lags
     * by no more than the bound; the primary when no replica is fit.
     */
    Connection readConnection(long minPosition) throws SQLException;

    /** What the data source knows of each node now. */
    List<NodeStatus> nodes();

    /** The WAL position after the writes made on {@code primaryConnection}, for read-your-writes. */
    static long writePosition(Connection primaryConnection) throws SQLException {
        try (Statement statement = primaryConnection.createStatement();
             ResultSet row = statement.executeQuery("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Override
    void close();

    /**
     * One node as probed.
     *
     * @param position WAL written (primary) or replayed (replica), in bytes; -1 when unknown
     * @param lagBytes how far a replica's replay is behind the primary; -1 when unknown
     * @param reads connections handed out for reads so far
     */
    record NodeStatus(String address, Role role, long position, long lagBytes, long reads) {}

    enum Role {
        PRIMARY,
        REPLICA,
        DOWN
    }

    /** How a read picks among fit replicas. */
    enum ReplicaChoice {
        LEAST_LAG,
        ROUND_ROBIN
    }
}
