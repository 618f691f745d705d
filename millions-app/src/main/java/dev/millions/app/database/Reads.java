package dev.millions.app.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

import dev.millions.jdbc.ReplicatedDataSource;

/**
 * Queries that only read, for the repositories: with a replicated database they run on a replica
 * that is close enough behind and has the user's own last write (else on the primary); with a single
 * database they run where everything runs.
 */
@Component
public class Reads {

    private final JdbcClient jdbc;

    Reads(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource instanceof ReplicatedDataSource replicated
                                      ? new ReplicaRouting(replicated) : dataSource);
    }

    public JdbcClient.StatementSpec sql(String sql) {
        return jdbc.sql(sql);
    }

    private static final class ReplicaRouting extends DelegatingDataSource {

        private final ReplicatedDataSource replicated;

        ReplicaRouting(ReplicatedDataSource replicated) {
            super(replicated);
            this.replicated = replicated;
        }

        @Override
        public Connection getConnection() throws SQLException {
            OptionalLong minPosition = ReadContext.minPosition();
            return minPosition.isPresent() ? replicated.readConnection(minPosition.getAsLong())
                                           : replicated.getConnection();
        }
    }
}
