package dev.millions.edge.proxy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.millions.edge.config.EdgeConfig;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * The edge's span of each request, sent over OTLP: it continues the client's W3C {@code traceparent}
 * (or starts a trace), and the request goes on to the backend with the edge's span as its parent, so
 * the app's spans hang under it. Spans are batched and sent off the event loop; a full queue drops
 * spans rather than slow the proxy. Off (no endpoint), the proxy does none of this.
 */
final class EdgeTracing implements AutoCloseable {

    static final EdgeTracing OFF = new EdgeTracing(null);

    private static final W3CTraceContextPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> TARGET = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> CLIENT = AttributeKey.stringKey("client.address");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> BACKEND = AttributeKey.stringKey("millions.backend");
    private static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("millions.attempts");
    /** A span reaches the store within half a second: {@code millions trace} finds a request just made. */
    private static final Duration SEND_EVERY = Duration.ofMillis(500);

    private static final TextMapGetter<HttpHeaders> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders headers) {
            return headers.names();
        }

        @Override
        public String get(HttpHeaders headers, String key) {
            return headers == null ? null : headers.get(key);
        }
    };
    private static final TextMapSetter<HttpHeaders> SETTER = (headers, key, value) -> headers.set(key, value);

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private EdgeTracing(SdkTracerProvider provider) {
        this.provider = provider;
        this.tracer = provider == null ? null : provider.get("dev.millions.edge");
    }

    static EdgeTracing create(EdgeConfig config) {
        EdgeConfig.Tracing tracing = config.tracing();
        if (tracing == null) {
            return OFF;
        }
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(tracing.endpoint())
                                                            .setTimeout(Duration.ofSeconds(5)).build();
        return new EdgeTracing(SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), config.name()))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(tracing.sampling())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(SEND_EVERY)
                                                    .setMaxQueueSize(8_192).build())
                .build());
    }

    boolean on() {
        return tracer != null;
    }

    /**
     * Starts the request's span and puts it in the request's {@code traceparent}, before the proxy reads
     * the trace id from there.
     */
    Span start(HttpRequest request, String clientIp) {
        HttpHeaders headers = request.headers();
        Context parent = PROPAGATOR.extract(Context.root(), headers, GETTER);
        Span span = tracer.spanBuilder(request.method().name()).setParent(parent).setSpanKind(SpanKind.SERVER)
                          .setAttribute(METHOD, request.method().name()).setAttribute(TARGET, path(request.uri()))
                          .setAttribute(CLIENT, clientIp).startSpan();
        PROPAGATOR.inject(parent.with(span), headers, SETTER);
        return span;
    }

    static void end(Span span, int status, String backend, int attempts) {
        if (span == null) {
            return;
        }
        span.setAttribute(STATUS, status);
        if (backend != null) {
            span.setAttribute(BACKEND, backend);
        }
        span.setAttribute(ATTEMPTS, attempts);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** Sends what is still queued, for a few seconds at most. */
    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
