package dev.millions.ops.role.cdn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.millions.common.admin.Tokens;
import dev.millions.edge.config.CdnConfig;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.ops.node.Capabilities;
import dev.millions.ops.node.EdgeCache;
import dev.millions.ops.node.EdgeJarNode;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeSpec;

/**
 * A CDN edge node. Two origin groups: {@code site}, its origin (the load balancer, which follows the web
 * tier as it scales), and {@code direct}, the web nodes themselves, which GETs fail over to when the
 * origin cannot answer, and optionally {@code media}, the nodes that answer {@code /media} with no
 * backup. {@code /api} passes through uncached; everything else is cached by what the app says of it.
 */
final class CdnNode extends EdgeJarNode implements EdgeCache {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The origin's own failures, which a GET fails over on: the load balancer answers 502 to 504 when it has no backend. */
    private static final List<Integer> FAILOVER_STATUSES = List.of(502, 503, 504);

    private final CdnSettings settings;
    private final ManagedNode origin;
    private final List<ManagedNode> backup;
    private final List<ManagedNode> media;

    CdnNode(NodeSpec spec, CdnSettings settings, RunFolder runFolder, Installation installation, ManagedNode origin,
            List<ManagedNode> backup, List<ManagedNode> media) {
        super(spec, runFolder, installation);
        this.settings = settings;
        this.origin = origin;
        this.backup = backup;
        this.media = media;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().add(EdgeCache.class, this).build();
    }

    @Override
    protected EdgeConfig config(int port, int adminPort, Path tokenFile) {
        Map<String, List<EdgeConfig.BackendConfig>> origins = new LinkedHashMap<>();
        origins.put("site", List.of(backend(origin)));
        String backupGroup = null;
        if (!backup.isEmpty()) {
            backupGroup = "direct";
            origins.put(backupGroup, backup.stream().map(CdnNode::backend).toList());
        }
        List<CdnConfig.Route> routes = new ArrayList<>();
        routes.add(new CdnConfig.Route("/api", "site", backupGroup, false, FAILOVER_STATUSES, null, null));
        if (!media.isEmpty()) {
            // A backend's id is unique across the groups: a node in the backup group too is media:NAME here.
            origins.put("media", media.stream().map(node -> new EdgeConfig.BackendConfig(
                    "media:" + node.spec().name(), node.address(), 1)).toList());
            routes.add(new CdnConfig.Route("/media", "media", null, true, FAILOVER_STATUSES, null, null));
        }
        routes.add(new CdnConfig.Route("/", "site", backupGroup, true, FAILOVER_STATUSES, null, null));
        CdnConfig.Cache cache = new CdnConfig.Cache(settings.memoryBytes(), settings.maxObjectBytes(),
                                                    settings.heuristicFreshness(), 5_000,
                                                    settings.staleWhileRevalidateSeconds(), settings.staleIfErrorSeconds(),
                                                    runFolder.dataDirectory(spec.name()).resolve("cache"), settings.diskBytes());
        return EdgeConfig.defaults(spec.name(), spec.host(), port, adminPort, tokenFile, List.of(),
                                   runFolder.logFile(spec.name() + ".access"))
                         .withCdn(new CdnConfig(origins, routes, cache));
    }

    private static EdgeConfig.BackendConfig backend(ManagedNode node) {
        return new EdgeConfig.BackendConfig(node.spec().name(), node.address(), 1);
    }

    /**
     * Starts the edge, then lists it in the run folder's edges file, where the web nodes find it to purge,
     * and find the origin that browsers fall back to for a photo the edge fails to serve.
     */
    @Override
    public void start() {
        super.start();
        synchronized (CdnNode.class) {
            try {
                Path file = runFolder.cdnEdgesFile();
                ObjectNode edges = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
                ArrayNode list = edges.withArray("edges");
                for (int i = list.size() - 1; i >= 0; i--) {
                    if (list.get(i).path("name").asText().equals(spec.name())) {
                        list.remove(i);
                    }
                }
                list.addObject().put("name", spec.name()).put("admin", adminAddress()).put("token", token())
                    .put("origin", origin.url().substring(0, origin.url().length() - 1));
                Tokens.writeOwnerOnly(file, JSON.writeValueAsString(edges));
            } catch (IOException | ClassCastException e) {
                throw new NodeStartException("cannot list " + spec.name() + " in " + runFolder.cdnEdgesFile() + ": " + e,
                                             log(), e);
            }
        }
    }

    @Override
    public int purge(String kind, String value, boolean soft) {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("kind", kind, "value", value, "soft", soft));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a purge of " + kind + ' ' + value, e);
        }
        try {
            return JSON.readTree(admin("POST", "/admin/purge", body)).path("purged").asInt();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(spec.name() + " answered a purge with something else than JSON", e);
        }
    }
}
