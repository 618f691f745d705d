package dev.millions.app.session;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessException;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.app.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Just outside Spring Session's filter, which saves the session after the request: a save that fails
 * (the session store is failing over) becomes a 503 with Retry-After instead of the container's 500.
 * A save that only moved the last-access time does not fail at all ({@link LastAccessTolerantSessions}).
 */
@Component
class SessionSaveFailureFilter extends OncePerRequestFilter implements Ordered {

    private static final Logger log = LoggerFactory.getLogger(SessionSaveFailureFilter.class);

    private final ObjectMapper json;

    SessionSaveFailureFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public int getOrder() {
        return SessionRepositoryFilter.DEFAULT_ORDER - 1;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (DataAccessException e) {
            log.warn("cannot save the session of {} {}: {}", request.getMethod(), request.getRequestURI(),
                     e.getMostSpecificCause().toString());
            if (response.isCommitted()) {
                throw e;
            }
            response.reset();
            Problems.writeUnavailable(response, Problems.sessionStoreUnavailable(), json);
        }
    }
}
