package dev.millions.app.web;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.millions.app.queue.TraceContext;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Gives every request an id that every log line carries: the edge's {@code X-Request-Id} when well
 * formed, a new one otherwise. It runs inside the request's span (Spring's observation filter comes
 * first, and carries on the trace of a W3C {@code traceparent}), whose trace and span ids are already in
 * the log context, and the events the request writes name that span as their parent ({@link TraceContext}).
 * Should no span be open, it reads the trace id from a well-formed {@code traceparent} or makes one, and a
 * span id of its own. Ends with one access-log line.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class RequestIdFilter extends OncePerRequestFilter {

    static final String REQUEST_ID = "X-Request-Id";
    static final String TRACEPARENT = "traceparent";

    private static final Logger accessLog = LoggerFactory.getLogger("access");
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern W3C_TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = request.getHeader(REQUEST_ID);
        if (requestId == null || !SAFE_ID.matcher(requestId).matches()) {
            requestId = randomHex(16);
        }
        boolean inSpan = MDC.get(TraceContext.MDC_TRACE_ID) != null && MDC.get(TraceContext.MDC_SPAN_ID) != null;
        if (!inSpan) {
            String traceparent = request.getHeader(TRACEPARENT);
            var trace = traceparent == null ? null : W3C_TRACEPARENT.matcher(traceparent);
            MDC.put(TraceContext.MDC_TRACE_ID, trace != null && trace.matches() ? trace.group(1) : randomHex(16));
            MDC.put(TraceContext.MDC_SPAN_ID, randomHex(8));
        }
        long start = System.nanoTime();
        MDC.put(TraceContext.MDC_REQUEST_ID, requestId);
        response.setHeader(REQUEST_ID, requestId);
        try {
            chain.doFilter(request, response);
        } finally {
            accessLog.info("{} {} {} {} ms", request.getMethod(), request.getRequestURI(), response.getStatus(),
                           (System.nanoTime() - start) / 1_000_000);
            MDC.remove(TraceContext.MDC_REQUEST_ID);
            if (!inSpan) {
                MDC.remove(TraceContext.MDC_TRACE_ID);
                MDC.remove(TraceContext.MDC_SPAN_ID);
            }
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
