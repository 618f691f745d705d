package dev.millions.ops.role.redis;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.millions.ops.topology.RoleSettings;
import dev.millions.ops.topology.TopologyException;
import dev.millions.redis.Persistence;
import dev.millions.redis.RedisServerBuilder;

/**
 * The settings of a redis node (a Redis Cluster), checked when the topology is read.
 *
 * @param masters how many masters share the 16384 slots (3..16)
 * @param replicasPerMaster 0..3
 * @param persistence {@code off}, {@code rdb}, {@code aof} or {@code rdb+aof} (the default)
 * @param maxMemoryBytes per node; eviction starts there
 * @param evictionPolicy what goes first when memory is full
 * @param nodeTimeout how long a master may be silent before its replica takes over
 * @param systemBinary the system's {@code redis-server} instead of the one from Maven Central
 */
public record RedisSettings(int masters, int replicasPerMaster, Persistence persistence, long maxMemoryBytes,
                            String evictionPolicy, Duration nodeTimeout, boolean systemBinary)
        implements RoleSettings {

    private static final Set<String> KNOWN = Set.of("masters", "replicas-per-master", "persistence", "maxmemory",
                                                    "maxmemory-policy", "node-timeout-ms", "binary");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})(b|kb|mb|gb)?");

    /** The settings of a node, with defaults for what it leaves out; {@code path} is where they are. */
    static RedisSettings parse(Map<String, String> settings, String path) {
        settings.keySet().forEach(name -> {
            if (!KNOWN.contains(name)) {
                throw new TopologyException(path + ": unknown redis setting '" + name + "' (known: "
                                            + String.join(", ", KNOWN.stream().sorted().toList()) + ')');
            }
        });
        int masters = number(settings, "masters", "3", 3, 16, path);
        int replicas = number(settings, "replicas-per-master", "1", 0, 3, path);
        Persistence persistence;
        try {
            persistence = Persistence.of(settings.getOrDefault("persistence", "rdb+aof"));
        } catch (IllegalArgumentException e) {
            throw new TopologyException(path + "." + e.getMessage(), e);
        }
        String policy = settings.getOrDefault("maxmemory-policy", "volatile-ttl");
        if (!RedisServerBuilder.EVICTION_POLICIES.contains(policy)) {
            throw new TopologyException(path + ".maxmemory-policy: " + policy + " (expected one of: "
                                        + String.join(", ", RedisServerBuilder.EVICTION_POLICIES.stream().sorted()
                                                                                               .toList()) + ')');
        }
        String binary = settings.getOrDefault("binary", "embedded");
        if (!binary.equals("embedded") && !binary.equals("system")) {
            throw new TopologyException(path + ".binary: " + binary + " (expected: embedded or system)");
        }
        return new RedisSettings(masters, replicas, persistence, size(settings.getOrDefault("maxmemory", "64mb"), path),
                                 policy, Duration.ofMillis(number(settings, "node-timeout-ms", "500", 100, 60_000, path)),
                                 binary.equals("system"));
    }

    private static int number(Map<String, String> settings, String name, String fallback, int min, int max,
                              String path) {
        String value = settings.getOrDefault(name, fallback);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the range
        }
        throw new TopologyException(path + "." + name + ": " + value + " (expected: " + min + ".." + max + ')');
    }

    private static long size(String value, String path) {
        Matcher matcher = SIZE.matcher(value.toLowerCase(Locale.ROOT));
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new TopologyException(path + ".maxmemory: " + value + " (expected: a size such as 64mb or 1gb)");
        }
        long unit = switch (matcher.group(2) == null ? "b" : matcher.group(2)) {
            case "kb" -> 1L << 10;
            case "mb" -> 1L << 20;
            case "gb" -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(matcher.group(1)) * unit;
    }
}
