package dev.millions.app.cache;

import java.net.SocketAddress;

import io.lettuce.core.tracing.MicrometerTracing;
import io.lettuce.core.tracing.TraceContext;
import io.lettuce.core.tracing.TraceContextProvider;
import io.lettuce.core.tracing.Tracer;
import io.lettuce.core.tracing.TracerProvider;
import io.lettuce.core.tracing.Tracing;
import io.micrometer.observation.ObservationRegistry;

/**
 * Lettuce's spans, only for commands sent inside a span (a request's, a message's): Lettuce refreshes
 * the cluster's topology and pings its nodes on its own, and a root trace for each of those commands
 * would bury the traces that a user looks for.
 */
final class RedisSpans implements Tracing {

    private static final Tracer.Span NO_SPAN = Tracing.disabled().getTracerProvider().getTracer().nextSpan();

    private final ObservationRegistry observations;
    private final MicrometerTracing micrometer;
    private final Tracer tracer;

    RedisSpans(ObservationRegistry observations, String serviceName) {
        this.observations = observations;
        this.micrometer = new MicrometerTracing(observations, serviceName);
        Tracer spans = micrometer.getTracerProvider().getTracer();
        this.tracer = new Tracer() {
            @Override
            public Span nextSpan() {
                return NO_SPAN;
            }

            @Override
            public Span nextSpan(TraceContext context) {
                return context == null || context == TraceContext.EMPTY ? NO_SPAN : spans.nextSpan(context);
            }
        };
    }

    @Override
    public TracerProvider getTracerProvider() {
        return () -> tracer;
    }

    /** The calling thread's span, captured when the command is sent; none outside a span. */
    @Override
    public TraceContextProvider initialTraceContextProvider() {
        TraceContextProvider current = micrometer.initialTraceContextProvider();
        return () -> observations.getCurrentObservation() == null ? null : current.getTraceContext();
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public boolean includeCommandArgsInSpanTags() {
        return micrometer.includeCommandArgsInSpanTags();
    }

    @Override
    public Endpoint createEndpoint(SocketAddress socketAddress) {
        return micrometer.createEndpoint(socketAddress);
    }
}
