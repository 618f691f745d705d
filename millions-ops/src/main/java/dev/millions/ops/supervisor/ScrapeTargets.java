package dev.millions.ops.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.millions.ops.node.Roles;
import dev.millions.ops.node.RunFolder;

/**
 * A scrape configuration for a Prometheus of the user's own. {@code prometheus/targets.json} lists every
 * ready node that has metrics of its own, and the supervisor, which exports the databases' and Redis
 * Clusters' (Prometheus's file-based service discovery: rewritten, by an atomic rename, whenever a node
 * comes or goes, and re-read by Prometheus on its own). {@code prometheus/prometheus.yml} points a job at
 * it: {@code prometheus --config.file=run/prometheus/prometheus.yml}.
 */
final class ScrapeTargets {

    static final String TARGETS = "targets.json";
    static final String CONFIG = "prometheus.yml";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ScrapeTargets() {}

    /**
     * Writes the targets of {@code nodes}, and the configuration when there is none yet.
     *
     * @param supervisorPort the port of the supervisor's control API, or 0 before it listens
     */
    static void write(RunFolder runFolder, Collection<NodeState> nodes, int supervisorPort) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (NodeState node : nodes) {
            if (node.status() == NodeStatus.READY) {
                Roles.driver(node.role()).metrics(node.name(), node.url(), runFolder)
                     .ifPresent(metrics -> groups.add(group(metrics, node.name(), node.role())));
            }
        }
        if (supervisorPort > 0) {
            groups.add(group(URI.create("http://127.0.0.1:" + supervisorPort + "/metrics"), "supervisor", "supervisor"));
        }
        Path folder = runFolder.prometheusFolder();
        try {
            Files.createDirectories(folder);
            Path partial = folder.resolve(TARGETS + ".partial");
            Files.writeString(partial, JSON.writeValueAsString(groups), StandardCharsets.UTF_8);
            Files.move(partial, folder.resolve(TARGETS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path config = folder.resolve(CONFIG);
            if (!Files.exists(config)) {
                Files.writeString(config, config(folder.resolve(TARGETS)), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the scrape targets in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> group(URI metrics, String node, String role) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("node", node);
        labels.put("role", role);
        labels.put("__metrics_path__", Optional.ofNullable(metrics.getPath()).filter(path -> !path.isEmpty()).orElse("/"));
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("targets", List.of(metrics.getHost() + ':' + metrics.getPort()));
        group.put("labels", labels);
        return group;
    }

    private static String config(Path targets) {
        // honor_labels: the supervisor's samples name the database or Redis member they are about.
        return """
               # Written by `millions up`: every node of this run, found in targets.json, which the supervisor
               # keeps current as nodes come and go. Run: prometheus --config.file=%s
               global:
                 scrape_interval: 5s
               scrape_configs:
                 - job_name: millions
                   honor_labels: true
                   file_sd_configs:
                     - files: ['%s']
               """.formatted(targets.resolveSibling(CONFIG), targets);
    }
}
