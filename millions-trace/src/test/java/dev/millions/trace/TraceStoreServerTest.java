package dev.millions.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/** The store as the SDKs use it: spans sent by OpenTelemetry's own OTLP exporter over a socket. */
class TraceStoreServerTest {

    private static TraceStoreServer server;
    private static String base;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        server = TraceStoreServer.start("127.0.0.1", 0, 1_000, 64 << 20);
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void spansFromTheOtlpExporter_areFoundByTraceId_withParentsServicesAndAttributes() throws Exception {
        for (boolean gzip : new boolean[] {false, true}) {
            SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "web-1")))
                    .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
                            .setEndpoint(base + "/v1/traces").setCompression(gzip ? "gzip" : "none").build()))
                    .build();
            Tracer tracer = provider.get("test");
            Span root = tracer.spanBuilder("GET /api/feed").setSpanKind(SpanKind.SERVER).startSpan();
            try (Scope ignored = root.makeCurrent()) {
                tracer.spanBuilder("query").setSpanKind(SpanKind.CLIENT).setAttribute("db.statement", "select 1")
                      .startSpan().end();
            } finally {
                root.end();
            }
            provider.forceFlush().join(10, TimeUnit.SECONDS);
            provider.close();

            String traceId = root.getSpanContext().getTraceId();
            HttpResponse<String> found = get("/api/traces/" + traceId);
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).contains("\"name\":\"GET /api/feed\"", "\"service\":\"web-1\"",
                                              "\"parentSpanId\":\"" + root.getSpanContext().getSpanId() + '"',
                                              "\"db.statement\":\"select 1\"", "\"kind\":\"CLIENT\"");
            assertThat(get("/api/traces?limit=5").body()).contains(traceId);
        }
    }

    @Test
    void badRequests_getAProblem_andLoseNothing() throws Exception {
        HttpResponse<String> notProtobuf = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 1, 2})).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notProtobuf.statusCode()).isEqualTo(400);
        assertThat(notProtobuf.body()).contains("not an OTLP ExportTraceServiceRequest");
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/traces"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.body()).contains("expected: application/x-protobuf");
        assertThat(get("/api/traces/nothex").statusCode()).isEqualTo(400);
        assertThat(get("/api/traces/" + "0".repeat(32)).body()).contains("no trace");
        assertThat(get("/api/traces?limit=0").statusCode()).isEqualTo(400);
        assertThat(get("/metrics").body()).contains("millions_trace_requests_rejected_total 2.0");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
