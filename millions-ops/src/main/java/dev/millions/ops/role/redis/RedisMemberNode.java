package dev.millions.ops.role.redis;

import java.nio.file.Path;

import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.redis.RedisServer;

/**
 * One {@code redis-server} of a Redis Cluster. Restarted (after a kill, say), it keeps its port and
 * data folder, so it rejoins the cluster it knows from its {@code nodes.conf}, as a replica when its
 * replica took over meanwhile.
 */
final class RedisMemberNode implements ManagedNode {

    private final NodeSpec spec;
    private final RedisServer server;

    RedisMemberNode(NodeSpec spec, RedisServer server) {
        this.spec = spec;
        this.server = server;
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public void start() {
        NodeStartException.during(log(), server::start);
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public OsProcess process() {
        return OsProcess.ofPid(server.pid());
    }

    @Override
    public String address() {
        return server.host() + ':' + server.port();
    }

    @Override
    public String url() {
        return null;
    }

    @Override
    public Path log() {
        return server.logFile();
    }
}
