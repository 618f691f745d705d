package dev.millions.ops.role.worker;

import java.net.URI;
import java.util.HashMap;
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

/**
 * A worker: the app's jar consuming its events (thumbnails, feed fan-out), one member of the workers'
 * consumer group; {@code millions scale worker=N} adds or removes members.
 */
public final class WorkerRole implements RoleDriver {

    @Override
    public String id() {
        return "worker";
    }

    @Override
    public Set<String> fields() {
        return Set.of("database", "queue", "cache", "traces", "settings");
    }

    @Override
    public WorkerSettings parse(NodeFields fields) {
        for (String needed : new String[] { "database", "queue" }) {
            if (!fields.has(needed)) {
                throw new TopologyException(fields.path() + ": worker node '" + fields.name() + "' needs a " + needed
                                            + " (the name of a " + (needed.equals("queue") ? "kafka" : "postgres")
                                            + " node)");
            }
        }
        return new WorkerSettings(fields.text("database"), fields.text("queue"), fields.optionalText("cache"),
                                  fields.optionalText("traces"), fields.map("settings"));
    }

    @Override
    public ManagedNode create(NodeSpec spec, NodeContext context) {
        WorkerSettings settings = (WorkerSettings) spec.settings();
        DatabaseAccess database = context.node(settings.database()).capabilities().find(DatabaseAccess.class)
                                         .orElseThrow(() -> new IllegalStateException(
                                                 settings.database() + " offers no database access"));
        QueueAccess queue = context.node(settings.queue()).capabilities().find(QueueAccess.class)
                                   .orElseThrow(() -> new IllegalStateException(settings.queue() + " offers no queue"));
        Optional<CacheAccess> cache = settings.cache().map(name -> context.node(name).capabilities()
                .find(CacheAccess.class).orElseThrow(() -> new IllegalStateException(name + " offers no cache")));
        return new AppJarNode(spec, settings.properties(), context.runFolder(), context.installation(), database, cache,
                              Optional.of(queue), environment(TraceAccess.named(settings.traces(), context)));
    }

    @Override
    public String probe(String name, String address, String url, RunFolder runFolder) {
        String readiness = Probes.readiness(url);
        return readiness.equals("ready") ? WorkerProgress.read(url).map(progress -> "ready, " + progress).orElse(readiness)
                                         : readiness;
    }

    @Override
    public Optional<URI> metrics(String name, String url, RunFolder runFolder) {
        return Optional.ofNullable(url).map(base -> URI.create(base).resolve("/metrics"));
    }

    /** A worker is the app with its consumers on and its relay off, sending spans where it is told. */
    private static Map<String, String> environment(Optional<TraceAccess> traces) {
        Map<String, String> environment = new HashMap<>(Map.of("MILLIONS_WORKER_ENABLED", "true",
                                                               "MILLIONS_QUEUE_RELAY", "false"));
        traces.ifPresent(store -> environment.putAll(store.appEnvironment()));
        return environment;
    }
}
