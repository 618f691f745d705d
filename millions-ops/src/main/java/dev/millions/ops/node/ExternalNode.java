package dev.millions.ops.node;

import java.nio.file.Path;

import dev.millions.ops.topology.NodeSpec;

/**
 * A server that runs elsewhere and that the topology names by address (a Kafka, an OTLP collector): never
 * launched or stopped, with no process of ours and no page of its own; it may be checked at start.
 */
public abstract class ExternalNode implements ManagedNode {

    protected final NodeSpec spec;
    private final RunFolder runFolder;

    protected ExternalNode(NodeSpec spec, RunFolder runFolder) {
        this.spec = spec;
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
    public OsProcess process() {
        return null;
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
