package dev.millions.ops.node;

import java.nio.file.Path;
import java.util.function.LongSupplier;

import dev.millions.ops.topology.NodeSpec;

/**
 * One process of a cluster that our launcher runs (a Redis Cluster's {@code redis-server}, a Kafka
 * cluster's broker), as a node of its own: status shows it, chaos kills it, and the supervisor starts
 * it again, with its port and data folder, so that it rejoins the cluster it knows.
 */
public final class ClusterMember implements ManagedNode {

    private final NodeSpec spec;
    private final Runnable start;
    private final Runnable stop;
    private final LongSupplier pid;
    private final String address;
    private final Path log;

    /**
     * @param start starts the process and returns once it serves
     * @param pid the process id while it runs, -1 otherwise
     * @param address its {@code host:port}
     */
    public ClusterMember(NodeSpec spec, Runnable start, Runnable stop, LongSupplier pid, String address, Path log) {
        this.spec = spec;
        this.start = start;
        this.stop = stop;
        this.pid = pid;
        this.address = address;
        this.log = log;
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public void start() {
        NodeStartException.during(log, start);
    }

    @Override
    public void stop() {
        stop.run();
    }

    @Override
    public OsProcess process() {
        return OsProcess.ofPid(pid.getAsLong());
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public String url() {
        return null;
    }

    @Override
    public Path log() {
        return log;
    }
}
