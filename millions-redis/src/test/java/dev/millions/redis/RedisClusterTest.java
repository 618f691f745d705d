package dev.millions.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;

/** One real 3 + 3 Redis Cluster for the class, formed by our own code. */
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisClusterTest {

    @TempDir
    static Path folder;

    static RedisCluster cluster;
    static RedisClusterClient client;
    static StatefulRedisClusterConnection<String, String> connection;

    @BeforeAll
    static void formCluster() {
        cluster = RedisCluster.builder().folders(folder.resolve("data"), folder.resolve("logs"))
                              .maxMemory(64L * 1024 * 1024, "allkeys-lfu").build();
        cluster.start();
        // A short command timeout on every seed: Lettuce's default (60 s) would hold a read of a dead
        // master's key that long.
        client = RedisClusterClient.create(cluster.nodes().stream()
                                                  .map(node -> RedisURI.builder().withHost(node.host())
                                                                       .withPort(node.port())
                                                                       .withTimeout(Duration.ofSeconds(2)).build())
                                                  .toList());
        client.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder().enablePeriodicRefresh(Duration.ofSeconds(1))
                                             .enableAllAdaptiveRefreshTriggers().build()).build());
        connection = client.connect();
    }

    @AfterAll
    static void stopCluster() {
        if (connection != null) {
            connection.close();
            client.shutdown();
        }
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    @Order(1)
    void formed_withEverySlotCovered_andOneReplicaPerMaster() {
        String nodes = cluster.describe();

        assertThat(nodes.lines().filter(line -> line.split(" ")[2].contains("master"))).hasSize(3);
        assertThat(nodes.lines().filter(LaunchedRedisCluster::isReplica)).hasSize(3);
        try (var node = standalone(cluster.nodes().getLast())) {
            assertThat(node.sync().clusterInfo()).contains("cluster_state:ok", "cluster_slots_assigned:16384",
                                                          "cluster_known_nodes:6");
        }
    }

    @Test
    @Order(2)
    void settings_followTheBuilder_persistenceMemoryAndTimeout() {
        try (var node = standalone(cluster.nodes().getFirst())) {
            var sync = node.sync();
            assertThat(sync.configGet("appendonly")).containsEntry("appendonly", "yes");
            assertThat(sync.configGet("aof-use-rdb-preamble")).containsEntry("aof-use-rdb-preamble", "yes");
            assertThat(sync.configGet("save")).containsEntry("save", "900 1 300 10 60 10000");
            assertThat(sync.configGet("maxmemory")).containsEntry("maxmemory", Long.toString(64L * 1024 * 1024));
            assertThat(sync.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "allkeys-lfu");
            assertThat(sync.configGet("cluster-node-timeout")).containsEntry("cluster-node-timeout", "1000");
        }
        assertThat(Files.exists(folder.resolve("data/redis-1/nodes.conf"))).isTrue();
    }

    @Test
    @Order(3)
    void clusterClient_spreadsKeysOverTheMasters_followingMoved() {
        RedisAdvancedClusterCommands<String, String> redis = connection.sync();
        for (int i = 0; i < 300; i++) {
            redis.set("key:" + i, "value " + i);
        }
        for (int i = 0; i < 300; i++) {
            assertThat(redis.get("key:" + i)).isEqualTo("value " + i);
        }
        for (RedisServer master : cluster.nodes().subList(0, 3)) {
            try (var node = standalone(master)) {
                assertThat(node.sync().dbsize()).isGreaterThan(50);
            }
        }
    }

    @Test
    @Order(4)
    void masterKilled_itsReplicaTakesOver_withTheData_andTheOldMasterRejoinsAsReplica() throws Exception {
        RedisServer master = cluster.nodes().getFirst();
        String key = keyServedBy(master);
        long killed = System.nanoTime();
        new ProcessBuilder("kill", "-9", Long.toString(master.pid())).start().waitFor();

        awaitTrue(() -> readable(key), "a replica serving " + key);
        System.out.printf("Redis master killed: reads of its keys served again after %d ms%n",
                          (System.nanoTime() - killed) / 1_000_000);
        assertThat(connection.sync().get(key)).isNotNull();

        master.start();
        awaitTrue(() -> cluster.describe().lines().anyMatch(line -> line.contains(":" + master.port() + "@")
                                                                   && LaunchedRedisCluster.isReplica(line)),
                  "the old master back as a replica");
    }

    @Test
    @Order(5)
    void restartOfTheWholeCluster_keepsItsData_andIsNotFormedAgain() {
        cluster.stop();
        cluster.start();

        assertThat(connection.sync().get("key:7")).isEqualTo("value 7");
        assertThat(connection.sync().get("key:299")).isEqualTo("value 299");
    }

    @Test
    @Order(6)
    void memoryForMoreThanHalfTheMachine_isRefused() {
        assertThatThrownBy(() -> RedisCluster.builder().folders(folder, folder)
                                             .maxMemory(64L * 1024 * 1024 * 1024, "allkeys-lru").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("room for the fork");
    }

    private static String keyServedBy(RedisServer master) {
        try (var node = standalone(master)) {
            for (int i = 0; i < 300; i++) {
                if (node.sync().exists("key:" + i) == 1) {
                    return "key:" + i;
                }
            }
        }
        throw new AssertionError("no key on " + master);
    }

    private static boolean readable(String key) {
        try {
            String value = connection.sync().get(key);
            lastRead = "value " + value;
            return value != null;
        } catch (RuntimeException e) {
            lastRead = e.toString();
            return false;
        }
    }

    static volatile String lastRead;

    private static Node standalone(RedisServer server) {
        RedisClient single = RedisClient.create(RedisURI.create(server.host(), server.port()));
        return new Node(single, single.connect());
    }

    /** A connection to one node, for what only that node can say. */
    private record Node(RedisClient client, StatefulRedisConnection<String, String> connection)
            implements AutoCloseable {

        RedisCommands<String, String> sync() {
            return connection.sync();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + what + " within 30 s (last read: " + lastRead + "):\n" + cluster.describe());
    }
}
