package dev.millions.ops.role.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.References;
import dev.millions.ops.topology.RoleSettings;

/**
 * The settings of a web node.
 *
 * @param database the postgres node it uses (a replicated database's first primary)
 * @param cache the redis node (a Redis Cluster) that holds its cache and sessions
 * @param queue the kafka node that its outbox relay publishes to
 * @param traces the trace node its spans go to
 * @param properties the app's properties, passed as {@code --name=value}
 */
public record WebSettings(String database, Optional<String> cache, Optional<String> queue, Optional<String> traces,
                          Map<String, String> properties)
        implements RoleSettings {

    public WebSettings {
        properties = Map.copyOf(properties);
    }

    @Override
    public WebSettings withProperties(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(properties);
        merged.putAll(overrides);
        return new WebSettings(database, cache, queue, traces, merged);
    }

    @Override
    public List<String> dependencies() {
        List<String> dependencies = new ArrayList<>(List.of(database));
        cache.ifPresent(dependencies::add);
        queue.ifPresent(dependencies::add);
        traces.ifPresent(dependencies::add);
        return List.copyOf(dependencies);
    }

    @Override
    public void validate(NodeSpec node, Map<String, NodeSpec> nodes) {
        References.requireDatabase(node, database, nodes);
        cache.ifPresent(name -> References.require(node, "uses cache", name, "redis", nodes));
        queue.ifPresent(name -> References.require(node, "uses queue", name, "kafka", nodes));
        traces.ifPresent(name -> References.require(node, "sends spans to", name, "trace", nodes));
    }
}
