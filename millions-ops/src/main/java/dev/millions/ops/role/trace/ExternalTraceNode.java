package dev.millions.ops.role.trace;

import java.net.URI;
import java.nio.file.Path;

import dev.millions.ops.node.Capabilities;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.node.TraceAccess;
import dev.millions.ops.topology.NodeSpec;

/**
 * An OTLP collector that runs elsewhere (Jaeger, Tempo, an OpenTelemetry Collector): the nodes send their
 * spans there; it is never launched or stopped, and {@code millions trace} cannot read it.
 */
final class ExternalTraceNode implements ManagedNode, TraceAccess {

    private final NodeSpec spec;
    private final TraceSettings settings;
    private final String endpoint;
    private final RunFolder runFolder;

    ExternalTraceNode(NodeSpec spec, TraceSettings settings, String endpoint, RunFolder runFolder) {
        this.spec = spec;
        this.settings = settings;
        this.endpoint = endpoint;
        this.runFolder = runFolder;
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

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
    public OsProcess process() {
        return null;
    }

    @Override
    public String address() {
        URI uri = URI.create(endpoint);
        return uri.getHost() + ':' + uri.getPort();
    }

    @Override
    public String url() {
        return null;
    }

    @Override
    public Path log() {
        return runFolder.logFile(spec.name());
    }
}
