package dev.millions.ops.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.millions.bench.CacheBench;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.ProcessTreeCpu;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

/**
 * The cache bench's hold on the running system: the cache's on/off switch, a key in the Redis Cluster
 * that every web node reads each second ({@code millions:cache:mode}, see the app's
 * {@code RedisReadCache}), the web nodes' counters, read from their {@code /metrics}, and the CPU time
 * every node's processes have used.
 */
final class CacheSwitch implements CacheBench.Target, AutoCloseable {

    private static final String MODE_KEY = "millions:cache:mode";
    private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(15);
    private static final Set<String> HITS = Set.of("near_hit", "hit", "negative_hit");

    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> connection;
    private final Supplier<List<NodeState>> nodes;

    CacheSwitch(String seeds, Supplier<List<NodeState>> nodes) {
        this.client = RedisClusterClient.create(Arrays.stream(seeds.split(","))
                                                      .map(seed -> RedisURI.create("redis://" + seed)).toList());
        this.connection = client.connect();
        this.connection.setTimeout(Duration.ofSeconds(2));
        this.nodes = nodes;
    }

    @Override
    public void cache(boolean on) throws InterruptedException {
        if (on) {
            connection.sync().del(MODE_KEY);
        } else {
            connection.sync().set(MODE_KEY, "off");
        }
        long deadline = System.nanoTime() + SWITCH_TIMEOUT.toNanos();
        while (!webNodes().stream().allMatch(url -> MetricsScrape.metric(url, "millions_cache_enabled") == (on ? 1 : 0))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the web nodes did not turn the cache " + (on ? "on" : "off")
                                                + " within " + SWITCH_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    @Override
    public CacheBench.Counters counters() {
        double reads = 0;
        double hits = 0;
        double gets = 0;
        double gcPause = 0;
        for (String url : webNodes()) {
            for (String line : MetricsScrape.samples(url)) {
                if (line.startsWith("millions_db_reads_total")) {
                    reads += MetricsScrape.value(line);
                } else if (line.startsWith("millions_cache_gets_total{") && !line.contains("result=\"bypass\"")) {
                    gets += MetricsScrape.value(line);
                    String result = line.replaceAll(".*result=\"([a-z_]+)\".*", "$1");
                    hits += HITS.contains(result) ? MetricsScrape.value(line) : 0;
                } else if (line.startsWith("jvm_gc_pause_seconds_sum{")) {
                    gcPause += MetricsScrape.value(line);
                }
            }
        }
        // Which processes the counters came from: a turn whose processes changed (a node restarted, exited
        // or joined) has counters that started again from zero, and is left out rather than subtracted.
        Set<String> processes = new TreeSet<>();
        Map<String, Double> cpu = new TreeMap<>();
        for (NodeState node : nodes.get()) {
            if (node.pid() > 0) {
                OptionalDouble seconds = ProcessTreeCpu.seconds(node.pid());
                processes.add(node.name() + " pid " + node.pid() + (seconds.isPresent() ? "" : " (gone)"));
                seconds.ifPresent(value -> cpu.merge(node.role(), value, Double::sum));
            }
        }
        return new CacheBench.Counters(reads, hits, gets, gcPause, cpu, processes);
    }

    private List<String> webNodes() {
        return nodes.get().stream().filter(node -> node.role().equals("web") && node.status() == NodeStatus.READY
                                                   && node.url() != null)
                    .map(NodeState::url).toList();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
