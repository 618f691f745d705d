package dev.millions.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/** What a primary says of its standbys, and the quorum rule every member keeps. */
final class Standbys {

    private Standbys() {}

    /** Waits until every one of {@code wanted} streams from {@code source}. */
    static void awaitStreaming(ClusterMember source, Collection<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> streaming = List.of();
        while (System.nanoTime() < deadline) {
            streaming = streaming(source);
            if (streaming.containsAll(wanted)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PostgresException("interrupted while waiting for " + wanted + " to stream", e);
            }
        }
        throw new PostgresException("standbys " + wanted + " did not all stream from " + source.name + " within "
                                    + timeout.toSeconds() + " s (streaming: " + streaming + ')');
    }

    /** The application names of the standbys streaming from {@code source} now. */
    static List<String> streaming(ClusterMember source) {
        try (Connection connection = source.server.connectAdmin();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT application_name FROM pg_stat_replication "
                                                     + "WHERE state = 'streaming'")) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new PostgresException("cannot ask " + source.name + " for its standbys: " + e.getMessage(), e);
        }
    }

    /**
     * Quorum commit on every member, so a promoted one keeps the rule. Set only once standbys stream: a
     * rule in force before any standby streams would hold up every write, {@code CREATE ROLE} included.
     *
     * @param events told of a replica that did not get the rule now
     */
    static void requireQuorumCommit(Collection<ClusterMember> members, String primary,
                                    BiConsumer<String, String> events) {
        for (ClusterMember member : members) {
            if (member.rebuilding) {
                // It gets the rule when its rebuild ends.
                continue;
            }
            try {
                applyQuorumRule(member, members);
            } catch (SQLException e) {
                if (member.name.equals(primary)) {
                    throw new PostgresException("cannot set synchronous_standby_names on the primary " + member.name
                                                + ": " + e.getMessage(), e);
                }
                // A replica that cannot be reached now is re-cloned when it is found dead, and gets the
                // rule then.
                events.accept(member.name, "quorum rule not set now (" + e.getMessage() + "); it gets it when rebuilt");
            }
        }
    }

    /** {@code ANY 1 ("db-1", ...)} over the synchronous members, set on {@code member} and reloaded. */
    static void applyQuorumRule(ClusterMember member, Collection<ClusterMember> members) throws SQLException {
        String names = members.stream().filter(candidate -> candidate.synchronous)
                              .map(candidate -> '"' + candidate.name + '"').collect(Collectors.joining(", "));
        try (Connection connection = member.server.connectAdmin(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET synchronous_standby_names = "
                              + StandbyClone.quote("ANY 1 (" + names + ')'));
            statement.execute("SELECT pg_reload_conf()");
        }
    }
}
