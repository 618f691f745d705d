package dev.millions.app.database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.millions.jdbc.DatabaseClusters;
import dev.millions.jdbc.ReplicatedDataSource;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * Read-your-writes across replicas: after a request that wrote, each cluster's primary WAL position
 * goes into the user's session; a later GET of that user reads from a cluster's replica only once it
 * has replayed that cluster's position. Does nothing with a single database.
 */
@Component
class ReadYourWritesFilter extends OncePerRequestFilter implements Ordered {

    /** A {@code HashMap} of cluster name to WAL position, which every session serializer can keep. */
    static final String POSITIONS_ATTRIBUTE = "millions.db.write-positions";
    private static final Logger log = LoggerFactory.getLogger(ReadYourWritesFilter.class);

    private final DatabaseClusters clusters;

    ReadYourWritesFilter(ObjectProvider<DatabaseClusters> clusters) {
        this.clusters = clusters.getIfAvailable();
    }

    /** Inside the session filter and the filter that loads the session. */
    @Override
    public int getOrder() {
        return SessionRepositoryFilter.DEFAULT_ORDER + 2;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (clusters == null) {
            chain.doFilter(request, response);
            return;
        }
        boolean safe = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (safe) {
            ReadContext.allowReplicaReads(positions(request.getSession(false)));
            try {
                chain.doFilter(request, response);
            } finally {
                ReadContext.clear();
            }
            return;
        }
        chain.doFilter(request, response);
        HttpSession session = request.getSession(false);
        if (session != null && response.getStatus() < 400) {
            rememberWritePositions(session);
        }
    }

    private static Map<String, Long> positions(HttpSession session) {
        Object positions = session == null ? null : session.getAttribute(POSITIONS_ATTRIBUTE);
        Map<String, Long> read = new HashMap<>();
        if (positions instanceof Map<?, ?> map) {
            map.forEach((cluster, position) -> {
                if (cluster instanceof String name && position instanceof Number lsn) {
                    read.put(name, lsn.longValue());
                }
            });
        }
        return read;
    }

    /**
     * Every cluster's position, each from its own primary. With one cluster that is the one the request
     * wrote to; once writes spread over clusters, only those the request wrote to need asking.
     */
    private void rememberWritePositions(HttpSession session) {
        HashMap<String, Long> positions = new HashMap<>(positions(session));
        clusters.all().forEach((name, cluster) -> {
            try (Connection connection = cluster.getConnection()) {
                positions.put(name, ReplicatedDataSource.writePosition(connection));
            } catch (SQLException | IllegalStateException e) {
                // The write is done; without the position this user's next reads go to a replica that may
                // not have it yet, within the lag bound.
                log.warn("cannot record cluster {}'s write position in the session: {}", name, e.toString());
            }
        });
        session.setAttribute(POSITIONS_ATTRIBUTE, positions);
    }
}
