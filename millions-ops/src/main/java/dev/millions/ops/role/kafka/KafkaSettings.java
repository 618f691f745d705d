package dev.millions.ops.role.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.millions.ops.topology.RoleSettings;
import dev.millions.ops.topology.TopologyException;

/**
 * The settings of a kafka node (a KRaft cluster), checked when the topology is read.
 *
 * @param nodes how many broker-and-controller processes: 1, 3 (the default) or 5
 * @param heapMegabytes each process's heap
 * @param sessionTimeout how long a broker may miss heartbeats before its partitions get other leaders
 *                       (3 s by default; Kafka's own 9 s stalls writes for about 8.5 s on a broker's death)
 * @param external the brokers of a Kafka that runs elsewhere ({@code host:port,...}): used, never launched
 */
public record KafkaSettings(int nodes, int heapMegabytes, Duration sessionTimeout, Optional<String> external)
        implements RoleSettings {

    private static final Set<String> KNOWN = Set.of("nodes", "heap-mb", "session-timeout-ms");

    static KafkaSettings parse(Map<String, String> settings, String path, Optional<String> external) {
        settings.keySet().forEach(name -> {
            if (!KNOWN.contains(name)) {
                throw new TopologyException(path + ": unknown kafka setting '" + name + "' (known: "
                                            + String.join(", ", KNOWN.stream().sorted().toList()) + ')');
            }
        });
        int nodes = number(settings, "nodes", "3", 1, 5, path);
        if (nodes % 2 == 0) {
            throw new TopologyException(path + ".nodes: " + nodes + " (expected: 1, 3 or 5, so that a majority of "
                                        + "controllers can vote)");
        }
        return new KafkaSettings(nodes, number(settings, "heap-mb", "512", 128, 16_384, path),
                                 Duration.ofMillis(number(settings, "session-timeout-ms", "3000", 1_000, 60_000, path)),
                                 external);
    }

    private static int number(Map<String, String> settings, String name, String fallback, int min, int max, String path) {
        String text = settings.getOrDefault(name, fallback);
        if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
            throw new TopologyException(path + '.' + name + ": " + text + " (expected: " + min + ".." + max + ')');
        }
        return Integer.parseInt(text);
    }
}
