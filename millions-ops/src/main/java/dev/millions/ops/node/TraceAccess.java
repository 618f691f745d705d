package dev.millions.ops.node;

import java.util.Map;
import java.util.Optional;

/** What a node that sends spans needs of the trace store it names: where to send them, and how many. */
public interface TraceAccess {

    /** OTLP/HTTP's traces URL, {@code http://host:port/v1/traces}. */
    String otlpEndpoint();

    /** The share of new traces that are recorded, 0..1. */
    double sampling();

    /**
     * The trace store that a node names in {@code traces:}, already started.
     *
     * @throws IllegalStateException when that node takes no spans
     */
    static Optional<TraceAccess> named(Optional<String> name, NodeContext context) {
        return name.map(store -> context.node(store).capabilities().find(TraceAccess.class)
                                        .orElseThrow(() -> new IllegalStateException(store + " takes no spans")));
    }

    /** The environment that tells the Spring Boot app (a web node, a worker) to send its spans here. */
    default Map<String, String> appEnvironment() {
        return Map.of("MILLIONS_TRACING_SPANS", "true", "MANAGEMENT_OTLP_TRACING_ENDPOINT", otlpEndpoint(),
                      "MANAGEMENT_TRACING_SAMPLING_PROBABILITY", Double.toString(sampling()));
    }
}
