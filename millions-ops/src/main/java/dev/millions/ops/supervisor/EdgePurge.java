package dev.millions.ops.supervisor;

import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.ops.node.EdgeCache;

/** A purge on every CDN edge of a topology, its input checked before any edge is asked. */
final class EdgePurge {

    private static final Logger logger = LoggerFactory.getLogger(EdgePurge.class);

    private EdgePurge() {}

    /**
     * @param kind {@code url} or {@code prefix} (a path starting with {@code /}), or {@code tag} (a {@code Surrogate-Key})
     * @return a line saying how many answers the edges purged, and how long it took
     */
    static String run(String topology, List<EdgeCache> edges, String kind, String value, boolean soft) {
        if (!Set.of("url", "prefix", "tag").contains(kind)) {
            throw new IllegalArgumentException("kind: " + kind + " (expected: url, prefix or tag)");
        }
        if (value == null || value.isBlank() || !kind.equals("tag") && !value.startsWith("/")) {
            throw new IllegalArgumentException("value: " + value + " (expected: "
                                               + (kind.equals("tag") ? "a tag" : "a path starting with /") + ')');
        }
        if (edges.isEmpty()) {
            throw new IllegalArgumentException("topology " + topology + " has no CDN edge (try the cdn preset)");
        }
        long startNanos = System.nanoTime();
        int purged = 0;
        for (EdgeCache edge : edges) {
            purged += edge.purge(kind, value, soft);
        }
        String line = (soft ? "marked stale " : "purged ") + purged + " stored answers on " + edges.size()
                      + (edges.size() == 1 ? " edge" : " edges") + " in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms";
        logger.info("purge of {} {}: {}", kind, value, line);
        return line;
    }
}
