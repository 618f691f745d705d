package dev.millions.ops.role.redis;

import java.util.Arrays;
import java.util.Set;

import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeContext;
import dev.millions.ops.node.RoleDriver;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeFields;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.TopologyException;

/**
 * A Redis Cluster: one node of the topology, several {@code redis-server} processes, each a member node
 * of its own ({@code cache-1}, {@code cache-2}, ...) once it runs.
 */
public final class RedisRole implements RoleDriver {

    @Override
    public String id() {
        return "redis";
    }

    @Override
    public Set<String> fields() {
        return Set.of("settings");
    }

    @Override
    public RedisSettings parse(NodeFields fields) {
        if (fields.port() != 0) {
            throw new TopologyException(fields.path() + ".port: " + fields.port() + " (a redis node is a cluster "
                                        + "whose members take free ports: leave it auto)");
        }
        return RedisSettings.parse(fields.map("settings"), fields.path() + ".settings");
    }

    @Override
    public ManagedNode create(NodeSpec spec, NodeContext context) {
        return new RedisClusterNode(spec, (RedisSettings) spec.settings(), context.runFolder());
    }

    /** A member answers PING; a whole cluster (its address lists every member) says how many do. */
    @Override
    public String probe(String name, String address, String url, RunFolder runFolder) {
        String[] members = address.split(",");
        if (members.length == 1) {
            return Ping.ping(members[0]) ? "ready (PONG)" : "no answer to PING";
        }
        long answering = Arrays.stream(members).filter(Ping::ping).count();
        return answering + " of " + members.length + " members answer";
    }
}
