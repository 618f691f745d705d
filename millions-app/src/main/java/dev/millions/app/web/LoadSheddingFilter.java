package dev.millions.app.web;

import java.io.IOException;
import java.util.concurrent.Semaphore;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses a request with a 503 and Retry-After when {@code millions.web.max-in-flight} requests are
 * already being served. On virtual threads Tomcat has no thread pool left to bound its work: a burst
 * that outruns the node (a cold JVM at full load, a slow database) would otherwise pile up every
 * request it accepts until the heap runs out, and the node would stop answering anyone. The bound is
 * the 200 worker threads Tomcat had on platform threads; unlike them it refuses at once instead of
 * queueing, so a client learns within a millisecond that it should back off or try another node.
 * Health and metrics are never refused: the supervisor and the balancer must see a busy node as alive.
 * Each refusal is counted and has its access-log line, and nothing more: a log line of its own per
 * refusal would add to the load it is shedding.
 */
@Component
class LoadSheddingFilter extends OncePerRequestFilter implements Ordered {

    private final int maxInFlight;
    private final Semaphore permits;
    private final Counter shed;
    private final ObjectMapper json;

    LoadSheddingFilter(@Value("${millions.web.max-in-flight:200}") int maxInFlight, MeterRegistry registry,
                       ObjectMapper json) {
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("millions.web.max-in-flight: " + maxInFlight + " (expected: > 0)");
        }
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.json = json;
        this.shed = Counter.builder("millions.requests.shed")
                           .description("requests refused with a 503 because the node had too many in flight")
                           .register(registry);
        Gauge.builder("millions.requests.in.flight", permits, p -> maxInFlight - p.availablePermits())
             .description("requests being served now (health and metrics left out)").register(registry);
    }

    /** Just inside the request id, so a refused request is logged with its id, before any session lookup. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.equals("/health") || path.startsWith("/health/") || path.equals("/metrics");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!permits.tryAcquire()) {
            shed.increment();
            Problems.writeUnavailable(response, Problems.overloaded(maxInFlight), json);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            permits.release();
        }
    }
}
