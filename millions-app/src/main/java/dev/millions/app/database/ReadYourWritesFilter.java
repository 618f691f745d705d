package dev.millions.app.database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.millions.jdbc.ReplicatedDataSource;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * Read-your-writes across replicas: after a request that wrote, the primary's WAL position goes into
 * the user's session; a later GET of that user reads only from a replica that has replayed that far.
 * Does nothing with a single database.
 */
@Component
class ReadYourWritesFilter extends OncePerRequestFilter implements Ordered {

    static final String POSITION_ATTRIBUTE = "millions.db.write-position";
    private static final Logger log = LoggerFactory.getLogger(ReadYourWritesFilter.class);

    private final ReplicatedDataSource replicated;

    ReadYourWritesFilter(DataSource dataSource) {
        this.replicated = ReplicatedDataSource.of(dataSource).orElse(null);
    }

    /** Inside the session filter and the filter that loads the session. */
    @Override
    public int getOrder() {
        return SessionRepositoryFilter.DEFAULT_ORDER + 2;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (replicated == null) {
            chain.doFilter(request, response);
            return;
        }
        boolean safe = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (safe) {
            HttpSession session = request.getSession(false);
            Object position = session == null ? null : session.getAttribute(POSITION_ATTRIBUTE);
            ReadContext.allowReplicaReads(position instanceof Long p ? p : 0);
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
            rememberWritePosition(session);
        }
    }

    private void rememberWritePosition(HttpSession session) {
        try (Connection connection = replicated.getConnection()) {
            session.setAttribute(POSITION_ATTRIBUTE, ReplicatedDataSource.writePosition(connection));
        } catch (SQLException | IllegalStateException e) {
            // The write is done; without the position this user's next reads go to a replica that may
            // not have it yet, within the lag bound.
            log.warn("cannot record the write position in the session: {}", e.toString());
        }
    }
}
