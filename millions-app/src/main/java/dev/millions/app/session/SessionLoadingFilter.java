package dev.millions.app.session;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessException;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.app.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Loads the request's session before anything else asks for it, so that an unreachable session store
 * (the database, or the Redis Cluster) gets a 503 like any other store that is away. The first to ask would otherwise be Spring
 * MVC's flash map lookup, outside the app's error handling, which ends in a bare 500. A request
 * without a session cookie costs nothing here.
 */
@Component
class SessionLoadingFilter extends OncePerRequestFilter implements Ordered {

    private static final Logger log = LoggerFactory.getLogger(SessionLoadingFilter.class);

    private final ObjectMapper json;

    SessionLoadingFilter(ObjectMapper json) {
        this.json = json;
    }

    /** Just inside Spring Session's filter, whose request wrapper reads the session store. */
    @Override
    public int getOrder() {
        return SessionRepositoryFilter.DEFAULT_ORDER + 1;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            request.getSession(false);
        } catch (DataAccessException | TransactionException e) {
            // No connection, or one that broke mid-query (whose rollback then fails as well).
            log.warn("session store unavailable: {}", e.getMostSpecificCause().toString());
            Problems.writeUnavailable(response, Problems.sessionStoreUnavailable(), json);
            return;
        }
        chain.doFilter(request, response);
    }
}
