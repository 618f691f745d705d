package dev.millions.app.cache;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

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
 * their session with the node that made it), their reads on other nodes skip the near cache and go to
 * Redis; on the node that wrote, the near cache is already fresh for them.
 */
@Component
class RecentWriteFilter extends OncePerRequestFilter implements Ordered {

    static final Duration WINDOW = Duration.ofSeconds(1);
    private static final String LAST_WRITE_ATTRIBUTE = "millions.cache.last-write";
    private static final ThreadLocal<Boolean> SKIP_NEAR = new ThreadLocal<>();
    /** This process, told apart from the other web nodes and from its own earlier runs. */
    private static final String NODE = UUID.randomUUID().toString();

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
            if (lastWrite instanceof String written && recentElsewhere(written)) {
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
            session.setAttribute(LAST_WRITE_ATTRIBUTE, clock.millis() + "@" + NODE);
        }
    }

    /** Whether {@code written} ({@code MILLIS@NODE}) is a write within the window made on another node. */
    private boolean recentElsewhere(String written) {
        int at = written.indexOf('@');
        if (at < 0) {
            return false;
        }
        long millis;
        try {
            millis = Long.parseLong(written, 0, at, 10);
        } catch (NumberFormatException e) {
            return false;
        }
        return clock.millis() - millis < WINDOW.toMillis() && !written.substring(at + 1).equals(NODE);
    }
}
