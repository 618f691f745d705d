package dev.millions.ops.role.trace;

import java.net.URI;

import dev.millions.ops.node.Capabilities;
import dev.millions.ops.node.ExternalNode;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.node.TraceAccess;
import dev.millions.ops.topology.NodeSpec;

/**
 * An OTLP collector that runs elsewhere (Jaeger, Tempo, an OpenTelemetry Collector): the nodes send their
 * spans there; {@code millions trace} cannot read it.
 */
final class ExternalTraceNode extends ExternalNode implements TraceAccess {

    private final TraceSettings settings;
    private final String endpoint;

    ExternalTraceNode(NodeSpec spec, TraceSettings settings, String endpoint, RunFolder runFolder) {
        super(spec, runFolder);
        this.settings = settings;
        this.endpoint = endpoint;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().add(TraceAccess.class, this).build();
    }

    @Override
    public String otlpEndpoint() {
        return endpoint;
    }

    @Override
    public double sampling() {
        return settings.sampling();
    }

    @Override
    public String address() {
        URI uri = URI.create(endpoint);
        return uri.getHost() + ':' + uri.getPort();
    }
}
