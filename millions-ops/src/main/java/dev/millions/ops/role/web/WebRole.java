package dev.millions.ops.role.web;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.millions.ops.node.AppJarNode;
import dev.millions.ops.node.CacheAccess;
import dev.millions.ops.node.DatabaseAccess;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeContext;
import dev.millions.ops.node.Probes;
import dev.millions.ops.node.QueueAccess;
import dev.millions.ops.node.RoleDriver;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.node.TraceAccess;
import dev.millions.ops.topology.NodeFields;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.TopologyException;

/** The photo app, a Spring Boot jar run by its own JVM, using a database and, optionally, a cache. */
public final class WebRole implements RoleDriver {

    @Override
    public String id() {
        return "web";
    }

    @Override
    public Set<String> fields() {
        return Set.of("database", "cache", "queue", "traces", "settings");
    }

    @Override
    public WebSettings parse(NodeFields fields) {
        if (!fields.has("database")) {
            throw new TopologyException(fields.path() + ": web node '" + fields.name()
                                        + "' needs a database (the name of a postgres node)");
        }
        return new WebSettings(fields.text("database"), fields.optionalText("cache"), fields.optionalText("queue"),
                               fields.optionalText("traces"), fields.map("settings"));
    }

    @Override
    public ManagedNode create(NodeSpec spec, NodeContext context) {
        WebSettings settings = (WebSettings) spec.settings();
        DatabaseAccess database = context.node(settings.database()).capabilities().find(DatabaseAccess.class)
                                         .orElseThrow(() -> new IllegalStateException(
                                                 settings.database() + " offers no database access"));
        Optional<CacheAccess> cache = settings.cache().map(name -> context.node(name).capabilities()
                .find(CacheAccess.class).orElseThrow(() -> new IllegalStateException(name + " offers no cache")));
        Optional<QueueAccess> queue = settings.queue().map(name -> context.node(name).capabilities()
                .find(QueueAccess.class).orElseThrow(() -> new IllegalStateException(name + " offers no queue")));
        return new AppJarNode(spec, settings.properties(), context.runFolder(), context.installation(), database, cache, queue,
                              TraceAccess.named(settings.traces(), context).map(TraceAccess::appEnvironment)
                                         .orElse(Map.of()));
    }

    @Override
    public String probe(String name, String address, String url, RunFolder runFolder) {
        return Probes.readiness(url);
    }

    @Override
    public int entryRank() {
        return 1;
    }

    @Override
    public Optional<URI> metrics(String name, String url, RunFolder runFolder) {
        return Optional.ofNullable(url).map(base -> URI.create(base).resolve("/metrics"));
    }
}
