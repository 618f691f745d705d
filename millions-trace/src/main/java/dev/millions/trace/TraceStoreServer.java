package dev.millions.trace;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import dev.millions.common.admin.AdminRequest;
import dev.millions.common.admin.AdminResponse;
import dev.millions.common.admin.AdminServer;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The topology's trace store: OTLP/HTTP in ({@code POST /v1/traces}, protobuf, plain or gzip), the
 * latest traces kept in memory, and JSON out by trace id ({@code GET /api/traces/ID}) or the latest ones
 * ({@code GET /api/traces?limit=N}), which {@code millions trace} reads.
 *
 * <p>Why not Zipkin's server: it takes spans in Zipkin's own format, and reads OTLP only through a module
 * that is not on Maven Central; its jar is 135 MB and starts in seconds where this starts in a fraction
 * of one. Any OTLP collector (Jaeger, Tempo) can stand in for this store: it speaks the same protocol.
 */
public final class TraceStoreServer implements AutoCloseable {

    /** A batch of the SDK's default size (512 spans) is well under this. */
    static final int MAX_BODY_BYTES = 16 << 20;
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final PrometheusTextFormatWriter METRICS_FORMAT = PrometheusTextFormatWriter.create();

    private final AdminServer server;

    private TraceStoreServer(AdminServer server) {
        this.server = server;
    }

    /**
     * @param maxSpans how many spans are kept; the oldest traces go first
     * @param maxBytes how much of the heap the kept spans may take, estimated; the oldest traces go first
     */
    public static TraceStoreServer start(String host, int port, int maxSpans, long maxBytes) throws IOException {
        TraceStore store = new TraceStore(maxSpans, maxBytes);
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter received = Counter.builder().name("millions_trace_spans_received").help("Spans received over OTLP.")
                                  .register(registry);
        Counter rejected = Counter.builder().name("millions_trace_requests_rejected")
                                  .help("OTLP requests refused as malformed.").register(registry);
        GaugeWithCallback.builder().name("millions_trace_spans_stored").help("Spans kept in memory.")
                         .callback(callback -> callback.call(store.spans())).register(registry);
        GaugeWithCallback.builder().name("millions_trace_spans_stored_bytes").help("The kept spans' estimated size.")
                         .callback(callback -> callback.call(store.bytes())).register(registry);
        GaugeWithCallback.builder().name("millions_trace_traces_evicted").help("Traces dropped to stay in bounds.")
                         .callback(callback -> callback.call(store.evictedTraces())).register(registry);
        AdminServer server = AdminServer.builder().bind(host, port)
                .open("POST", "/v1/traces", request -> {
                    try {
                        List<StoredSpan> spans = OtlpTraces.decode(body(request));
                        store.add(spans);
                        received.inc(spans.size());
                    } catch (IllegalArgumentException e) {
                        rejected.inc();
                        throw e;
                    }
                    // An empty ExportTraceServiceResponse: every span was accepted.
                    return new AdminResponse(200, "application/x-protobuf", "", false);
                })
                .open("GET", "/api/traces/{id}", request -> {
                    String id = request.parameter("id").toLowerCase();
                    if (!TRACE_ID.matcher(id).matches()) {
                        throw new IllegalArgumentException("trace id: " + id + " (expected: 32 hex digits)");
                    }
                    List<StoredSpan> spans = store.trace(id);
                    if (spans.isEmpty()) {
                        throw new AdminServer.NotFound("no trace " + id + " here: not sampled, not sent yet, or "
                                                       + "evicted (the store keeps the latest " + maxSpans + " spans, at most "
                                                       + (maxBytes >> 20) + " MB of them)");
                    }
                    return AdminResponse.ok(Map.of("traceId", id, "spans", spans));
                })
                .open("GET", "/api/traces", request -> AdminResponse.ok(Map.of("traces", latest(store, request))))
                .open("GET", "/health", request -> AdminResponse.ok(Map.of("status", "UP")))
                .open("GET", "/metrics", request -> AdminResponse.metrics(metrics(registry)))
                .start();
        return new TraceStoreServer(server);
    }

    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
    }

    private static byte[] body(AdminRequest request) throws IOException {
        String type = request.header("Content-Type");
        if (type == null || !type.startsWith("application/x-protobuf")) {
            throw new IllegalArgumentException("Content-Type: " + type
                                               + " (expected: application/x-protobuf, OTLP/HTTP's binary encoding)");
        }
        byte[] body = request.body(MAX_BODY_BYTES);
        if (!"gzip".equalsIgnoreCase(request.header("Content-Encoding"))) {
            return body;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] unzipped = in.readNBytes(MAX_BODY_BYTES + 1);
            if (unzipped.length > MAX_BODY_BYTES) {
                throw new AdminServer.TooLarge("the unzipped body is over " + MAX_BODY_BYTES + " bytes");
            }
            return unzipped;
        } catch (IOException e) {
            throw new IllegalArgumentException("Content-Encoding gzip, but the body is not gzip: " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> latest(TraceStore store, AdminRequest request) {
        int limit = 20;
        for (String pair : request.query().split("&")) {
            if (pair.startsWith("limit=")) {
                try {
                    limit = Integer.parseInt(pair.substring(6));
                } catch (NumberFormatException e) {
                    limit = -1;
                }
                if (limit < 1 || limit > 1000) {
                    throw new IllegalArgumentException("limit: " + pair.substring(6) + " (expected: 1..1000)");
                }
            }
        }
        return store.latest(limit).stream().map(id -> summary(id, store.trace(id))).toList();
    }

    /** A trace in one line: its root (or first) span, how long it took, how many spans from which services. */
    private static Map<String, Object> summary(String id, List<StoredSpan> spans) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("traceId", id);
        if (spans.isEmpty()) {
            return summary;
        }
        StoredSpan root = spans.stream().filter(span -> span.parentSpanId() == null).findFirst().orElse(spans.getFirst());
        long end = spans.stream().mapToLong(StoredSpan::endEpochNanos).max().orElse(root.endEpochNanos());
        summary.put("service", root.service());
        summary.put("name", root.name());
        summary.put("startEpochNanos", root.startEpochNanos());
        summary.put("durationMillis", (end - spans.getFirst().startEpochNanos()) / 1e6);
        summary.put("spans", spans.size());
        summary.put("services", spans.stream().map(StoredSpan::service).distinct().toList());
        return summary;
    }

    private static String metrics(PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            METRICS_FORMAT.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
