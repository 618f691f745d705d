package dev.millions.app.database;

import java.io.IOException;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Records how many database reads each API request made ({@code millions.db.reads.per.request}): what
 * the cache tier is there to bring down. A request runs on one thread, so the count lives in a
 * thread-local for the request's length.
 */
@Component
class ReadsPerRequestFilter extends OncePerRequestFilter implements Ordered {

    private static final ThreadLocal<int[]> READS = new ThreadLocal<>();

    private final DistributionSummary perRequest;

    ReadsPerRequestFilter(MeterRegistry registry) {
        this.perRequest = DistributionSummary.builder("millions.db.reads.per.request")
                                             .description("database reads made by one API request")
                                             .serviceLevelObjectives(1, 2, 3, 5, 10).register(registry);
    }

    static void count() {
        int[] reads = READS.get();
        if (reads != null) {
            reads[0]++;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int[] reads = new int[1];
        READS.set(reads);
        try {
            chain.doFilter(request, response);
        } finally {
            READS.remove();
            perRequest.record(reads[0]);
        }
    }
}
