package dev.millions.ops.role.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.millions.ops.node.CacheAccess;
import dev.millions.ops.node.Capabilities;
import dev.millions.ops.node.ClusterMember;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.MetricFamilies;
import dev.millions.ops.node.MetricsSource;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.RoleSettings;
import dev.millions.redis.RedisBinary;
import dev.millions.redis.RedisCluster;
import dev.millions.redis.RedisClusterBuilder;
import dev.millions.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * A redis node of the topology: a Redis Cluster of several {@code redis-server} processes, formed on
 * first start. Its members are nodes of their own ({@link ClusterMember}: {@code cache-1},
 * {@code cache-2}, ...), so that status shows each one's role and chaos can kill one; the cluster
 * itself fails over from a dead master to its replica without the supervisor. A member started again
 * keeps its port and data folder, so it rejoins the cluster it knows from its {@code nodes.conf}, as a
 * replica when its replica took over meanwhile.
 */
final class RedisClusterNode implements ManagedNode, CacheAccess, MetricsSource {

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

    private final NodeSpec spec;
    private final RedisCluster cluster;
    private final List<ManagedNode> members = new ArrayList<>();
    private RedisClient client;

    RedisClusterNode(NodeSpec spec, RedisSettings settings, RunFolder runFolder) {
        this.spec = spec;
        RedisClusterBuilder builder = RedisCluster.builder().masters(settings.masters())
                                                  .replicasPerMaster(settings.replicasPerMaster())
                                                  .namePrefix(spec.name() + '-').host(spec.host())
                                                  .folders(runFolder.dataDirectory(spec.name()),
                                                           runFolder.logFile(spec.name()).getParent())
                                                  .persistence(settings.persistence())
                                                  .maxMemory(settings.maxMemoryBytes(), settings.evictionPolicy())
                                                  .nodeTimeout(settings.nodeTimeout());
        if (settings.systemBinary()) {
            builder.binary(RedisBinary.system());
        }
        this.cluster = builder.build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public synchronized void start() {
        NodeStartException.during(log(), cluster::start);
    }

    @Override
    public synchronized void stop() {
        cluster.stop();
        if (client != null) {
            client.shutdown();
            client = null;
        }
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().add(CacheAccess.class, this).add(MetricsSource.class, this).build();
    }

    /** One node per member, named after the cluster: {@code cache-1} .. {@code cache-6}. */
    @Override
    public synchronized List<ManagedNode> members() {
        if (members.isEmpty()) {
            for (int i = 0; i < cluster.nodes().size(); i++) {
                NodeSpec member = spec.sibling(spec.name() + '-' + (i + 1), RoleSettings.none());
                RedisServer server = cluster.nodes().get(i);
                members.add(new ClusterMember(member, server::start, server::stop, server::pid,
                                              server.host() + ':' + server.port(), server.logFile()));
            }
        }
        return List.copyOf(members);
    }

    /** Every member as {@code host:port}: what a cluster client starts from. */
    @Override
    public String seeds() {
        return String.join(",", cluster.seeds());
    }

    /**
     * Each member's role as the cluster sees it now ({@code master, slots 0-5460}, {@code replica of
     * cache-2}, {@code master, failed}), by member name; empty when no member answers.
     */
    @Override
    public synchronized Map<String, String> details() {
        Map<String, String> namesByAddress = new LinkedHashMap<>();
        List<RedisServer> servers = cluster.nodes();
        for (int i = 0; i < servers.size(); i++) {
            namesByAddress.put(servers.get(i).host() + ':' + servers.get(i).port(), spec.name() + '-' + (i + 1));
        }
        String nodes = query(connection -> connection.sync().clusterNodes());
        return nodes == null ? Map.of() : ClusterNodesLines.roles(nodes, namesByAddress);
    }

    /** INFO of one member, or {@code null} when it does not answer. */
    private synchronized String info(RedisServer server) {
        try (StatefulRedisConnection<String, String> connection = client().connect(uri(server))) {
            return connection.sync().info();
        } catch (RedisException e) {
            return null;
        }
    }

    /**
     * Each member's metrics: whether it is a master, its keys, memory, and the keys evicted
     * and expired so far (the cache tier's own view; hit ratios are the web nodes').
     */
    @Override
    public void collect(MetricFamilies families) {
        List<RedisServer> servers = cluster.nodes();
        for (int i = 0; i < servers.size(); i++) {
            String info = info(servers.get(i));
            if (info == null) {
                continue;
            }
            String node = spec.name() + '-' + (i + 1);
            Map<String, String> fields = new LinkedHashMap<>();
            info.lines().filter(line -> line.contains(":")).forEach(line -> fields.put(
                    line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip()));
            families.gauge("millions_redis_master", "1 for a member that is a master.",
                           "master".equals(fields.get("role")) ? 1 : 0, "node", node);
            families.gauge("millions_redis_used_memory_bytes", "Memory a member uses.",
                           number(fields.get("used_memory")), "node", node);
            families.counter("millions_redis_evicted_keys_total", "Keys evicted for memory.",
                             number(fields.get("evicted_keys")), "node", node);
            families.counter("millions_redis_expired_keys_total", "Keys expired by their TTL.",
                             number(fields.get("expired_keys")), "node", node);
            String keyspace = fields.getOrDefault("db0", "keys=0,");
            families.gauge("millions_redis_keys", "Keys a member holds.",
                           number(keyspace.substring("keys=".length(), keyspace.indexOf(','))), "node", node);
        }
    }

    private static double number(String value) {
        try {
            return value == null ? 0 : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private <T> T query(Function<StatefulRedisConnection<String, String>, T> question) {
        for (RedisServer server : cluster.nodes()) {
            if (server.pid() <= 0) {
                continue;
            }
            try (StatefulRedisConnection<String, String> connection = client().connect(uri(server))) {
                return question.apply(connection);
            } catch (RedisException e) {
                // Killed or frozen: ask the next member.
            }
        }
        return null;
    }

    private RedisClient client() {
        if (client == null) {
            client = RedisClient.create();
        }
        return client;
    }

    private static RedisURI uri(RedisServer server) {
        return RedisURI.builder().withHost(server.host()).withPort(server.port()).withTimeout(QUERY_TIMEOUT).build();
    }

    @Override
    public OsProcess process() {
        return null;
    }

    @Override
    public String address() {
        return seeds();
    }

    @Override
    public String url() {
        return null;
    }

    @Override
    public Path log() {
        return cluster.nodes().getFirst().logFile();
    }
}
