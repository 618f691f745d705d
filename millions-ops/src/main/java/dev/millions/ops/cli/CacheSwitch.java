package dev.millions.ops.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import dev.millions.bench.CacheBench;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

/**
 * The cache bench's hold on the running system: the cache's on/off switch, a key in the Redis Cluster
 * that every web node reads each second ({@code millions:cache:mode}, see the app's
 * {@code RedisReadCache}), and the web nodes' counters, read from their {@code /metrics}.
 */
final class CacheSwitch implements CacheBench.Target, AutoCloseable {

    private static final String MODE_KEY = "millions:cache:mode";
    private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(15);
    private static final Set<String> HITS = Set.of("near_hit", "hit", "negative_hit");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
        while (!webNodes().stream().allMatch(url -> metric(url, "millions_cache_enabled") == (on ? 1 : 0))) {
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
            for (String line : scrape(url)) {
                if (line.startsWith("millions_db_reads_total")) {
                    reads += value(line);
                } else if (line.startsWith("millions_cache_gets_total{") && !line.contains("result=\"bypass\"")) {
                    gets += value(line);
                    String result = line.replaceAll(".*result=\"([a-z_]+)\".*", "$1");
                    hits += HITS.contains(result) ? value(line) : 0;
                } else if (line.startsWith("jvm_gc_pause_seconds_sum{")) {
                    gcPause += value(line);
                }
            }
        }
        return new CacheBench.Counters(reads, hits, gets, gcPause);
    }

    private List<String> webNodes() {
        return nodes.get().stream().filter(node -> node.role().equals("web") && node.status() == NodeStatus.READY
                                                   && node.url() != null)
                    .map(NodeState::url).toList();
    }

    private static double metric(String url, String name) {
        return scrape(url).stream().filter(line -> line.startsWith(name + ' ') || line.startsWith(name + '{'))
                          .mapToDouble(CacheSwitch::value).sum();
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static List<String> scrape(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "metrics"))
                                                                 .timeout(Duration.ofSeconds(5)).build(),
                                                      HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + "metrics answered " + response.statusCode());
            }
            return response.body().lines().filter(line -> !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + url + "metrics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + url + "metrics", e);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
