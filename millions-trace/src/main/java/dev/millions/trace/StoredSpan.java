package dev.millions.trace;

import java.util.Map;

/**
 * One span as the store keeps it: OTLP's fields that a reader of a trace needs, ids in lower-case hex
 * as W3C {@code traceparent} writes them, attribute values as text.
 *
 * @param parentSpanId {@code null} for a trace's root
 * @param service the {@code service.name} of the process that sent it
 * @param kind {@code SERVER}, {@code CLIENT}, {@code INTERNAL}, {@code PRODUCER} or {@code CONSUMER}
 * @param status {@code UNSET}, {@code OK} or {@code ERROR}
 */
public record StoredSpan(String traceId, String spanId, String parentSpanId, String service, String name, String kind,
                         long startEpochNanos, long endEpochNanos, String status, String statusMessage,
                         Map<String, String> attributes) {

    public StoredSpan {
        attributes = Map.copyOf(attributes);
    }

    /**
     * About what the span takes of the heap: a record, its strings (compact, a byte a character, and a
     * header each) and its map's entries. An estimate that errs high, for the store's bound.
     */
    public long estimatedBytes() {
        long size = 96 + text(traceId) + text(spanId) + text(parentSpanId) + text(service) + text(name) + text(kind)
                    + text(status) + text(statusMessage);
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            size += 32 + text(attribute.getKey()) + text(attribute.getValue());
        }
        return size;
    }

    private static long text(String value) {
        return value == null ? 0 : 48 + 2L * value.length();
    }

    public double durationMillis() {
        return (endEpochNanos - startEpochNanos) / 1e6;
    }
}
