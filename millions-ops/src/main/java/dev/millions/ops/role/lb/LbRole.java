package dev.millions.ops.role.lb;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.millions.ops.node.EdgeJarNode;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeContext;
import dev.millions.ops.node.Probes;
import dev.millions.ops.node.RoleDriver;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.node.TraceAccess;
import dev.millions.ops.topology.NodeFields;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.TopologyException;

/** Our Netty load balancer (the edge's jar) in front of web nodes, which it learns of while it runs. */
public final class LbRole implements RoleDriver {

    private static final Set<String> SETTINGS = Set.of("algorithm", "hash-key", "rate-limit");

    @Override
    public String id() {
        return "lb";
    }

    @Override
    public Set<String> fields() {
        return Set.of("backends", "traces", "settings");
    }

    @Override
    public LbSettings parse(NodeFields fields) {
        Map<String, String> settings = fields.map("settings");
        settings.keySet().forEach(name -> {
            if (!SETTINGS.contains(name)) {
                throw new TopologyException(fields.path() + ".settings: unknown lb setting '" + name + "' (known: "
                                            + String.join(", ", SETTINGS.stream().sorted().toList()) + ')');
            }
        });
        String rate = settings.getOrDefault("rate-limit", "0");
        double rateLimit;
        try {
            rateLimit = Double.parseDouble(rate);
        } catch (NumberFormatException e) {
            rateLimit = -1;
        }
        if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
            throw new TopologyException(fields.path() + ".settings.rate-limit: " + rate
                                        + " (expected: requests per second per client, 0 for none)");
        }
        return new LbSettings(fields.list("backends", "[web-1, web-2]"),
                              Optional.ofNullable(settings.get("algorithm")),
                              Optional.ofNullable(settings.get("hash-key")), rateLimit,
                              fields.optionalText("traces"));
    }

    @Override
    public ManagedNode create(NodeSpec spec, NodeContext context) {
        LbSettings settings = (LbSettings) spec.settings();
        LbNode node = new LbNode(spec, settings, context.runFolder(), context.installation());
        settings.backends().forEach(backend -> node.initialBackend(context.node(backend)));
        TraceAccess.named(settings.traces(), context).ifPresent(node::sendSpansTo);
        return node;
    }

    @Override
    public String probe(String name, String address, String url, RunFolder runFolder) {
        // Through the balancer to a backend: ready when it passes requests on.
        return Probes.readiness(url);
    }

    @Override
    public int entryRank() {
        return 2;
    }

    @Override
    public Optional<URI> metrics(String name, String url, RunFolder runFolder) {
        return EdgeJarNode.metrics(runFolder, name);
    }
}
