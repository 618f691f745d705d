package dev.millions.ops.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.millions.ops.supervisor.NodeState;

/**
 * Each tier's figures across its nodes: the cache's hit ratio and near-cache ratio (from the web
 * nodes' gets), the CDN's hit ratio, the workers' consumer lag, the database members' roles. A ratio is
 * taken over the recent window, or over the whole run while the window saw no traffic.
 */
final class Tiers {

    private Tiers() {}

    static Map<String, Object> of(List<NodeState> nodes, Map<String, NodeHistory> histories, long windowNanos) {
        Map<String, Object> tiers = new LinkedHashMap<>();
        double gets = sum(histories, Readings.CACHE_GETS, windowNanos);
        boolean recent = gets > 0;
        double hits = recent ? sum(histories, Readings.CACHE_HITS, windowNanos) : total(histories, Readings.CACHE_HITS);
        double near = recent ? sum(histories, Readings.CACHE_NEAR_HITS, windowNanos)
                             : total(histories, Readings.CACHE_NEAR_HITS);
        double all = recent ? gets : total(histories, Readings.CACHE_GETS);
        if (all > 0) {
            tiers.put("cache", Map.of("hitRatio", DashboardState.number(hits / all),
                                      "nearRatio", DashboardState.number(near / all)));
        }
        double cdnHits = sum(histories, Readings.CDN_HITS, windowNanos);
        double cdnMisses = sum(histories, Readings.CDN_MISSES, windowNanos);
        if (cdnHits + cdnMisses == 0) {
            cdnHits = total(histories, Readings.CDN_HITS);
            cdnMisses = total(histories, Readings.CDN_MISSES);
        }
        if (cdnHits + cdnMisses > 0) {
            tiers.put("cdn", Map.of("hitRatio", DashboardState.number(cdnHits / (cdnHits + cdnMisses))));
        }
        List<NodeState> workers = nodes.stream().filter(node -> node.role().equals("worker")).toList();
        if (!workers.isEmpty()) {
            double lag = workers.stream().map(node -> histories.get(node.name())).filter(history -> history != null)
                                .mapToDouble(history -> history.gauge(Readings.LAG)).filter(value -> !Double.isNaN(value))
                                .sum();
            tiers.put("queue", Map.of("lag", lag));
        }
        Map<String, String> roles = new LinkedHashMap<>();
        nodes.stream().filter(node -> node.role().equals("postgres") && node.detail() != null
                                    && node.detail().matches("(primary|replica|down|rebuilding)\\b.*"))
             .forEach(node -> roles.put(node.name(), node.detail()));
        if (!roles.isEmpty()) {
            tiers.put("database", roles);
        }
        return tiers;
    }

    private static double sum(Map<String, NodeHistory> histories, String key, long windowNanos) {
        return histories.values().stream().mapToDouble(history -> history.rate(key, windowNanos))
                        .filter(value -> !Double.isNaN(value)).sum();
    }

    private static double total(Map<String, NodeHistory> histories, String key) {
        return histories.values().stream().mapToDouble(history -> history.gauge(key))
                        .filter(value -> !Double.isNaN(value)).sum();
    }
}
