package dev.millions.app.cache;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import org.springframework.core.Ordered;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * Read-your-writes for the near cache. A write invalidates Redis and its own node's near cache before it
 * answers, but other nodes hear of it over pub/sub a moment later: a user whose next request lands on
 * another node could read the old value there. So for {@link #WINDOW} after a user's last write (kept in
 * their session), their reads skip the near cache and go to Redis.
 */
@Component
class RecentWriteFilter extends OncePerRequestFilter implements Ordered {

    static final Duration WINDOW = Duration.ofSeconds(1);
    private static final String LAST_WRITE_ATTRIBUTE = "millions.cache.last-write";
    private static final ThreadLocal<Boolean> SKIP_NEAR = new ThreadLocal<>();

    private final Clock clock;

    RecentWriteFilter(Clock clock) {
        this.clock = clock;
    }

    /** Whether the request on this thread may be answered from the near cache. */
    static boolean nearAllowed() {
        return SKIP_NEAR.get() == null;
    }

    /** Inside the session filter and the filter that loads the session. */
    @Override
    public int getOrder() {
        return SessionRepositoryFilter.DEFAULT_ORDER + 3;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean safe = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (safe) {
            HttpSession session = request.getSession(false);
            Object lastWrite = session == null ? null : session.getAttribute(LAST_WRITE_ATTRIBUTE);
            boolean recent = lastWrite instanceof Long at && clock.millis() - at < WINDOW.toMillis();
            if (recent) {
                SKIP_NEAR.set(Boolean.TRUE);
            }
            try {
                chain.doFilter(request, response);
            } finally {
                SKIP_NEAR.remove();
            }
            return;
        }
        chain.doFilter(request, response);
        HttpSession session = request.getSession(false);
        if (session != null && response.getStatus() < 400) {
            session.setAttribute(LAST_WRITE_ATTRIBUTE, clock.millis());
        }
    }
}
