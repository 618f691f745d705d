package dev.millions.ops.supervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.RedisSettings;
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
 * first start. Its members are nodes of their own ({@link RedisMemberNode}: {@code cache-1},
 * {@code cache-2}, ...), so that status shows each one's role and chaos can kill one; the cluster
 * itself fails over from a dead master to its replica without the supervisor.
 */
final class RedisClusterNode implements ManagedNode {

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

    private final NodeSpec spec;
    private final RunFolder runFolder;
    private final RedisCluster cluster;
    private RedisClient client;

    RedisClusterNode(NodeSpec spec, RunFolder runFolder) {
        this.spec = spec;
        this.runFolder = runFolder;
        RedisSettings settings = RedisSettings.of(spec.settings());
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
        try {
            cluster.start();
        } catch (RuntimeException e) {
            throw new NodeStartException(e.getMessage(), log(), e);
        }
    }

    @Override
    public synchronized void stop() {
        cluster.stop();
        if (client != null) {
            client.shutdown();
            client = null;
        }
    }

    /** One node per member, named after the cluster: {@code cache-1} .. {@code cache-6}. */
    List<RedisMemberNode> members() {
        List<RedisMemberNode> members = new ArrayList<>();
        for (int i = 0; i < cluster.nodes().size(); i++) {
            String name = spec.name() + '-' + (i + 1);
            NodeSpec memberSpec = new NodeSpec(name, spec.role(), spec.host(), 0, Optional.empty(), Map.of(), List.of(),
                                               Optional.empty(), List.of(), Optional.empty(), Optional.empty());
            members.add(new RedisMemberNode(memberSpec, cluster.nodes().get(i)));
        }
        return members;
    }

    /** Every member as {@code host:port}: what a cluster client starts from. */
    String seeds() {
        return String.join(",", cluster.seeds());
    }

    /**
     * Each member's role as the cluster sees it now ({@code master, slots 0-5460}, {@code replica of
     * cache-2}, {@code master, failed}), by member name; empty when no member answers.
     */
    synchronized Map<String, String> roles() {
        Map<String, String> namesByAddress = new LinkedHashMap<>();
        List<RedisServer> servers = cluster.nodes();
        for (int i = 0; i < servers.size(); i++) {
            namesByAddress.put(servers.get(i).host() + ':' + servers.get(i).port(), spec.name() + '-' + (i + 1));
        }
        String nodes = query(connection -> connection.sync().clusterNodes());
        return nodes == null ? Map.of() : ClusterNodesLines.roles(nodes, namesByAddress);
    }

    /** INFO of one member, or {@code null} when it does not answer. */
    synchronized String info(RedisServer server) {
        try (StatefulRedisConnection<String, String> connection = client().connect(uri(server))) {
            return connection.sync().info();
        } catch (RedisException e) {
            return null;
        }
    }

    /**
     * Prometheus text for each member: whether it is a master, its keys, memory, and the keys evicted
     * and expired so far (the cache tier's own view; hit ratios are the web nodes').
     */
    void appendMetrics(StringBuilder out) {
        List<RedisServer> servers = cluster.nodes();
        for (int i = 0; i < servers.size(); i++) {
            String info = info(servers.get(i));
            if (info == null) {
                continue;
            }
            String labels = "{node=\"" + spec.name() + '-' + (i + 1) + "\"}";
            Map<String, String> fields = new LinkedHashMap<>();
            info.lines().filter(line -> line.contains(":")).forEach(line -> fields.put(
                    line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip()));
            out.append("millions_redis_master").append(labels).append(' ')
               .append("master".equals(fields.get("role")) ? 1 : 0).append('\n');
            out.append("millions_redis_used_memory_bytes").append(labels).append(' ')
               .append(fields.getOrDefault("used_memory", "0")).append('\n');
            out.append("millions_redis_evicted_keys_total").append(labels).append(' ')
               .append(fields.getOrDefault("evicted_keys", "0")).append('\n');
            out.append("millions_redis_expired_keys_total").append(labels).append(' ')
               .append(fields.getOrDefault("expired_keys", "0")).append('\n');
            String keyspace = fields.getOrDefault("db0", "keys=0,");
            out.append("millions_redis_keys").append(labels).append(' ')
               .append(keyspace.substring("keys=".length(), keyspace.indexOf(','))).append('\n');
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
