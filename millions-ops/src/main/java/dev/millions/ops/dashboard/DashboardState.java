package dev.millions.ops.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.Timeline;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.Topology;

/**
 * The document the dashboard's page draws: every node with its place (data center, row of the
 * chapter's drawing, the cluster it is a member of), health, rates and footprint; the edges between
 * nodes with the rate that flows over them where the sender counts it (the load balancer and the CDN
 * count per backend); each tier's ratios; and the timeline.
 */
final class DashboardState {

    /** Rates are taken over this window: long enough to be steady, short enough to follow a drill. */
    static final long WINDOW_NANOS = 5_000_000_000L;
    private static final int SPARK_POINTS = 60;
    private static final int TIMELINE_EVENTS = 100;
    /** The rows of the chapter's drawing, top to bottom: clients come in at the top. */
    private static final Map<String, Integer> ROWS = Map.of("dns", 0, "cdn", 1, "lb", 2, "web", 3, "worker", 4,
                                                           "kafka", 4, "redis", 5, "postgres", 5);

    private DashboardState() {}

    static Map<String, Object> of(Topology topology, List<NodeState> nodes, Map<String, NodeHistory> histories,
                                  Map<String, Boolean> answered, Timeline timeline) {
        List<Map<String, Object>> nodeViews = new ArrayList<>();
        Map<String, Map<String, Object>> edges = new LinkedHashMap<>();
        for (NodeState node : nodes) {
            NodeSpec spec = spec(topology, node).orElse(null);
            String group = memberOf(topology, node);
            NodeHistory history = histories.getOrDefault(node.name(), new NodeHistory());
            nodeViews.add(node(node, spec, group, history, answered.get(node.name())));
            if (spec != null && group == null) {
                for (String dependency : spec.dependencies()) {
                    edge(edges, node.name(), dependency, null);
                }
            }
            history.rates(Readings.EDGE, WINDOW_NANOS).forEach((to, rate) -> edge(edges, node.name(), to, rate));
        }
        edges.values().removeIf(edge -> nodes.stream().noneMatch(node -> node.name().equals(edge.get("to"))));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("topology", topology.name());
        state.put("nodes", nodeViews);
        state.put("edges", List.copyOf(edges.values()));
        state.put("tiers", Tiers.of(nodes, histories, WINDOW_NANOS));
        state.put("timeline", timeline.recent(TIMELINE_EVENTS).stream().map(event -> Map.of(
                "at", event.at().toString(), "kind", event.kind(), "node", event.node(), "text", event.text())).toList());
        return state;
    }

    private static Map<String, Object> node(NodeState node, NodeSpec spec, String group, NodeHistory history,
                                            Boolean answered) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", node.name());
        view.put("role", node.role());
        view.put("dc", spec == null ? NodeSpec.DEFAULT_DC : spec.dc());
        view.put("row", ROWS.getOrDefault(node.role(), 6));
        view.put("group", group);
        view.put("health", health(node, answered));
        view.put("status", node.status().id());
        view.put("detail", node.detail());
        view.put("pid", node.pid() > 0 ? node.pid() : null);
        view.put("url", node.url());
        view.put("restarts", node.restarts());
        view.put("rps", number(history.rate(Readings.REQUESTS, WINDOW_NANOS)));
        view.put("errors", number(history.rate(Readings.ERRORS, WINDOW_NANOS)));
        double p99 = history.p99(WINDOW_NANOS);
        view.put("p99ms", number((Double.isNaN(p99) ? history.gauge(Readings.P99_SECONDS) : p99) * 1000));
        view.put("cpu", number(history.cpu(WINDOW_NANOS) * 100));
        view.put("rssMb", node.pid() > 0 && history.rssBytes() > 0 ? number(history.rssBytes() / 1048576.0) : null);
        view.put("spark", history.recentRates(Readings.REQUESTS, SPARK_POINTS).stream().map(DashboardState::number)
                                 .toList());
        return view;
    }

    /**
     * up, starting (a cluster member being rebuilt, too), paused (SIGSTOP), silent (running, but its
     * metrics do not answer), down (exited, failed, or a member its cluster's manager marked down), stopped.
     */
    private static String health(NodeState node, Boolean answered) {
        if (node.status() == NodeStatus.STARTING) {
            return "starting";
        }
        if (node.status() == NodeStatus.STOPPED || node.status() == NodeStatus.STOPPING) {
            return "stopped";
        }
        if (node.status() != NodeStatus.READY || node.detail() != null && node.detail().startsWith("down")) {
            return "down";
        }
        if (node.detail() != null && node.detail().startsWith("rebuilding")) {
            // A member its cluster's manager is cloning again: running, not serving yet.
            return "starting";
        }
        if (node.pid() > 0 && ProcessHandle.of(node.pid()).isEmpty()) {
            return "down";
        }
        if (node.pid() > 0 && ProcessTreeState.paused(node.pid())) {
            return "paused";
        }
        return Boolean.FALSE.equals(answered) ? "silent" : "up";
    }

    /** The node's own spec; a member's is its cluster's; a scaled node's is the first of its role's. */
    private static Optional<NodeSpec> spec(Topology topology, NodeState node) {
        NodeSpec own = topology.nodes().get(node.name());
        if (own != null) {
            return Optional.of(own);
        }
        String group = memberOf(topology, node);
        if (group != null) {
            return Optional.of(topology.nodes().get(group));
        }
        return topology.nodes().values().stream().filter(spec -> spec.role().equals(node.role())).findFirst();
    }

    /** The cluster node ({@code cache}) whose member ({@code cache-2}) this is, or null. */
    static String memberOf(Topology topology, NodeState node) {
        if (topology.nodes().containsKey(node.name())) {
            return null;
        }
        int dash = node.name().lastIndexOf('-');
        if (dash <= 0) {
            return null;
        }
        NodeSpec parent = topology.nodes().get(node.name().substring(0, dash));
        return parent != null && parent.role().equals(node.role()) ? parent.name() : null;
    }

    private static void edge(Map<String, Map<String, Object>> edges, String from, String to, Double rate) {
        Map<String, Object> edge = edges.computeIfAbsent(from + "->" + to, key -> {
            Map<String, Object> created = new LinkedHashMap<>();
            created.put("from", from);
            created.put("to", to);
            created.put("rps", null);
            return created;
        });
        if (rate != null) {
            edge.put("rps", number(rate));
        }
    }

    /** JSON has no NaN: an unknown number is null. Two decimals are plenty for a person. */
    static Double number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : Math.round(value * 100) / 100.0;
    }
}
