package dev.millions.ops.role.cdn;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

/**
 * A CDN edge (the edge's jar with a cache): pages, scripts, styles and media from its store, {@code /api}
 * passed through uncached, its origin the load balancer with the web nodes behind it as the backup group.
 * Clients come in here when a topology has one.
 */
public final class CdnRole implements RoleDriver {

    private static final Set<String> SETTINGS = Set.of("memory", "disk", "max-object", "stale-while-revalidate",
                                                       "stale-if-error", "heuristic");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String id() {
        return "cdn";
    }

    @Override
    public Set<String> fields() {
        return Set.of("origin", "backup", "media", "traces", "settings");
    }

    @Override
    public CdnSettings parse(NodeFields fields) {
        Map<String, String> settings = fields.map("settings");
        settings.keySet().forEach(name -> {
            if (!SETTINGS.contains(name)) {
                throw new TopologyException(fields.path() + ".settings: unknown cdn setting '" + name + "' (known: "
                                            + String.join(", ", SETTINGS.stream().sorted().toList()) + ')');
            }
        });
        long memory = bytes(fields, "memory", settings.getOrDefault("memory", "256mb"));
        long disk = bytes(fields, "disk", settings.getOrDefault("disk", "1gb"));
        long maxObject = bytes(fields, "max-object", settings.getOrDefault("max-object", "8mb"));
        if (maxObject > memory / 4) {
            throw new TopologyException(fields.path() + ".settings.max-object: " + settings.get("max-object")
                                        + " (expected: at most a quarter of memory, " + memory / 4 + " bytes)");
        }
        String heuristic = settings.getOrDefault("heuristic", "false");
        if (!heuristic.equals("true") && !heuristic.equals("false")) {
            throw new TopologyException(fields.path() + ".settings.heuristic: " + heuristic + " (expected: true or false)");
        }
        return new CdnSettings(fields.text("origin"), fields.list("backup", "[web-1, web-2]"),
                               fields.list("media", "[web-1, web-2]"), memory, disk, maxObject,
                               seconds(fields, "stale-while-revalidate", settings.getOrDefault("stale-while-revalidate", "0")),
                               seconds(fields, "stale-if-error", settings.getOrDefault("stale-if-error", "0")),
                               Boolean.parseBoolean(heuristic), fields.optionalText("traces"));
    }

    private static long bytes(NodeFields fields, String name, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        long unit = value.endsWith("gb") ? 1L << 30 : value.endsWith("mb") ? 1L << 20 : value.endsWith("kb") ? 1L << 10 : 1;
        String digits = unit == 1 ? value : value.substring(0, value.length() - 2);
        if (!digits.matches("[0-9]{1,9}") || Long.parseLong(digits) == 0) {
            throw new TopologyException(fields.path() + ".settings." + name + ": " + text + " (expected: a size, e.g. 256mb)");
        }
        return Long.parseLong(digits) * unit;
    }

    private static long seconds(NodeFields fields, String name, String text) {
        if (!text.matches("[0-9]{1,9}")) {
            throw new TopologyException(fields.path() + ".settings." + name + ": " + text + " (expected: seconds, e.g. 30)");
        }
        return Long.parseLong(text);
    }

    @Override
    public ManagedNode create(NodeSpec spec, NodeContext context) {
        CdnSettings settings = (CdnSettings) spec.settings();
        CdnNode node = new CdnNode(spec, settings, context.runFolder(), context.installation(),
                                   context.node(settings.origin()), settings.backup().stream().map(context::node).toList(),
                                   settings.media().stream().map(context::node).toList());
        TraceAccess.named(settings.traces(), context).ifPresent(node::sendSpansTo);
        return node;
    }

    /** Ready when it passes requests on to its origin; with its hit ratio, read from its admin API. */
    @Override
    public String probe(String name, String address, String url, RunFolder runFolder) {
        String health = Probes.readiness(url);
        try {
            JsonNode config = JSON.readTree(EdgeJarNode.configFile(runFolder, name).toFile());
            String token = Files.readString(runFolder.dataDirectory(name).resolve("admin.token"), StandardCharsets.UTF_8).strip();
            JsonNode cache = JSON.readTree(EdgeJarNode.admin(name, config.path("adminPort").asInt(), token, "GET",
                                                             "/admin/cache", null));
            return health + String.format(Locale.ROOT, "; hit ratio %.0f%% of requests, %.0f%% of bytes; %d objects",
                                          100 * cache.path("hitRatio").asDouble(), 100 * cache.path("byteHitRatio").asDouble(),
                                          cache.path("objects").asLong());
        } catch (IOException | IllegalStateException e) {
            return health;
        }
    }

    @Override
    public int entryRank() {
        return 3;
    }

    @Override
    public Optional<URI> metrics(String name, String url, RunFolder runFolder) {
        return EdgeJarNode.metrics(runFolder, name);
    }
}
