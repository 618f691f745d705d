package dev.millions.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Forms the cluster as {@code redis-cli --cluster create} does, with our own client: distinct config
 * epochs (so no two masters start with the same one), every node {@code MEET}s the first, the 16384
 * slots are split in equal ranges over the masters, and each replica {@code REPLICATE}s its master once
 * it knows every node.
 */
final class LaunchedRedisCluster implements RedisCluster {

    private static final Logger logger = LoggerFactory.getLogger(LaunchedRedisCluster.class);
    private static final int SLOTS = 16384;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);

    private final List<RedisServer> servers;
    private final int masters;
    private final int replicasPerMaster;

    LaunchedRedisCluster(List<RedisServer> servers, int masters, int replicasPerMaster) {
        this.servers = List.copyOf(servers);
        this.masters = masters;
        this.replicasPerMaster = replicasPerMaster;
    }

    @Override
    public synchronized void start() {
        long startNanos = System.nanoTime();
        try {
            servers.forEach(RedisServer::start);
            RedisClient client = RedisClient.create();
            List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
            try {
                for (RedisServer server : servers) {
                    connections.add(client.connect(RedisURI.builder().withHost(server.host()).withPort(server.port())
                                                           .withTimeout(Duration.ofSeconds(5)).build()));
                }
                List<RedisCommands<String, String>> nodes = connections.stream().map(StatefulRedisConnection::sync)
                                                                       .toList();
                boolean formed = nodes.stream().anyMatch(node -> knownNodes(node) > 1);
                if (!formed) {
                    form(nodes);
                }
                await(nodes, node -> node.clusterInfo().contains("cluster_state:ok"), "cluster_state:ok on every node");
                logger.info("Redis Cluster of {} masters and {} replicas {} in {} ms", masters,
                            masters * replicasPerMaster, formed ? "started again" : "formed",
                            (System.nanoTime() - startNanos) / 1_000_000);
            } finally {
                connections.forEach(StatefulRedisConnection::close);
                client.shutdown();
            }
        } catch (RuntimeException e) {
            stop();
            throw e instanceof RedisException ours ? ours
                  : new RedisException("cannot form the Redis Cluster: " + e.getMessage(), e);
        }
    }

    private void form(List<RedisCommands<String, String>> nodes) {
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).clusterSetConfigEpoch(i + 1);
        }
        RedisServer first = servers.getFirst();
        for (int i = 1; i < nodes.size(); i++) {
            nodes.get(i).clusterMeet(first.host(), first.port());
        }
        await(nodes, node -> knownNodes(node) == nodes.size(), "every node knowing all " + nodes.size());
        for (int m = 0; m < masters; m++) {
            int from = m * SLOTS / masters;
            int to = (m + 1) * SLOTS / masters;
            nodes.get(m).clusterAddSlots(IntStream.range(from, to).toArray());
        }
        List<String> masterIds = nodes.subList(0, masters).stream().map(RedisCommands::clusterMyId).toList();
        for (int r = masters; r < nodes.size(); r++) {
            nodes.get(r).clusterReplicate(masterIds.get((r - masters) % masters));
        }
        int replicas = masters * replicasPerMaster;
        await(nodes, node -> node.clusterNodes().lines().filter(LaunchedRedisCluster::isReplica).count() == replicas,
              "every node seeing " + replicas + " replicas");
    }

    /** A {@code CLUSTER NODES} line whose flags (the third field, e.g. {@code myself,slave}) say replica. */
    static boolean isReplica(String line) {
        String[] fields = line.split(" ");
        return fields.length > 2 && fields[2].contains("slave");
    }

    private static long knownNodes(RedisCommands<String, String> node) {
        return node.clusterNodes().lines().filter(line -> !line.isBlank()).count();
    }

    private void await(List<RedisCommands<String, String>> nodes, Predicate<RedisCommands<String, String>> condition,
                       String what) {
        long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
        while (true) {
            boolean all = true;
            for (RedisCommands<String, String> node : nodes) {
                try {
                    all &= condition.test(node);
                } catch (io.lettuce.core.RedisException e) {
                    all = false;
                }
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new RedisException("no " + what + " within " + FORM_TIMEOUT.toSeconds()
                                                            + " s:\n" + describe());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisException("interrupted while waiting for " + what, e);
            }
        }
    }

    @Override
    public synchronized void stop() {
        // Replicas first, so that a master's stop is not taken for a failure to fail over from.
        for (int i = servers.size() - 1; i >= 0; i--) {
            servers.get(i).stop();
        }
    }

    @Override
    public List<RedisServer> nodes() {
        return servers;
    }

    @Override
    public List<String> seeds() {
        return servers.stream().map(server -> server.host() + ':' + server.port()).toList();
    }

    @Override
    public String describe() {
        RedisClient client = RedisClient.create();
        try {
            for (RedisServer server : servers) {
                try (StatefulRedisConnection<String, String> connection = client.connect(
                        RedisURI.builder().withHost(server.host()).withPort(server.port())
                                .withTimeout(Duration.ofSeconds(2)).build())) {
                    return connection.sync().clusterNodes();
                } catch (io.lettuce.core.RedisException e) {
                    // Try the next one.
                }
            }
            return "(no node answers)";
        } finally {
            client.shutdown();
        }
    }
}
