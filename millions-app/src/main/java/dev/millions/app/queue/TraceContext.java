package dev.millions.app.queue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;

/**
 * The trace context that an event carries from the request that caused it to the worker that applies
 * it: the W3C {@code traceparent} (the request's trace id, with the app's span as parent) and our
 * request id. The outbox stores both beside the event, the relay sends them as Kafka headers (as the W3C
 * trace context and OpenTelemetry's Kafka instrumentation name them), and the worker puts them in its log
 * lines' context, so a request id or trace id finds the worker's lines too.
 *
 * @param traceparent {@code 00-<trace id>-<parent span id>-01}, or {@code null} when no request caused it
 * @param requestId the request's {@code X-Request-Id}, or {@code null}
 */
public record TraceContext(String traceparent, String requestId) {

    /** The MDC keys that every log line shows; the request's filter sets them. */
    public static final String MDC_REQUEST_ID = "requestId";
    public static final String MDC_TRACE_ID = "traceId";
    public static final String MDC_SPAN_ID = "spanId";

    public static final String TRACEPARENT_HEADER = "traceparent";
    public static final String REQUEST_ID_HEADER = "millions-request-id";

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

    /** The context of the request this thread serves; both fields {@code null} outside a request. */
    public static TraceContext current() {
        String traceId = MDC.get(MDC_TRACE_ID);
        String spanId = MDC.get(MDC_SPAN_ID);
        return new TraceContext(traceId == null || spanId == null ? null : "00-" + traceId + '-' + spanId + "-01",
                                MDC.get(MDC_REQUEST_ID));
    }

    /** The context a message carries in its headers. */
    public static TraceContext of(Headers headers) {
        return new TraceContext(header(headers, TRACEPARENT_HEADER), header(headers, REQUEST_ID_HEADER));
    }

    /** Adds the headers that are known. */
    public void addTo(Headers headers) {
        if (traceparent != null) {
            headers.add(TRACEPARENT_HEADER, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        if (requestId != null) {
            headers.add(REQUEST_ID_HEADER, requestId.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The named parameters {@code traceparent} and {@code requestId} of a statement that writes the
     * outbox ({@code CAST(:traceparent AS text)}: either may be null).
     */
    public Map<String, Object> outboxParameters() {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("traceparent", traceparent);
        parameters.put("requestId", requestId);
        return parameters;
    }

    /**
     * Puts the trace id and the request id in this thread's log context until closed: a worker's lines
     * about a message are found with the request id or trace id of the request that caused it.
     */
    public LogScope inLogs() {
        traceId().ifPresent(traceId -> MDC.put(MDC_TRACE_ID, traceId));
        if (requestId != null) {
            MDC.put(MDC_REQUEST_ID, requestId);
        }
        return () -> {
            MDC.remove(MDC_TRACE_ID);
            MDC.remove(MDC_REQUEST_ID);
        };
    }

    /** A log context to close, without a checked exception. */
    @FunctionalInterface
    public interface LogScope extends AutoCloseable {
        @Override
        void close();
    }

    /** The trace id of a well-formed traceparent. */
    public Optional<String> traceId() {
        Matcher matcher = traceparent == null ? null : TRACEPARENT.matcher(traceparent);
        return matcher != null && matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
