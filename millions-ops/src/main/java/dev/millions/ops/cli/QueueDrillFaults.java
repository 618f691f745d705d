package dev.millions.ops.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.bench.fault.FaultAction;
import dev.millions.ops.chaos.NodeFaults;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;

/**
 * The queue drill's victims, each found as it is now, and killed with SIGKILL as {@code chaos kill}
 * does (the supervisor starts each again): the leader of a partition of {@code posts}, a worker, the
 * node whose outbox relay publishes, and the database's primary.
 *
 * <p>Its Kafka client is opened, and asked once, when it is made: a client's first request loads its
 * classes and takes seconds of CPU on a busy machine, which the drill would otherwise spend at the
 * moment of the fault, beside the failover it measures.
 */
final class QueueDrillFaults implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunFolder runFolder;
    private final NodeState kafka;
    private final Path clusterFile;

    private final Admin admin;

    QueueDrillFaults(RunFolder runFolder, NodeState kafka, Path clusterFile) {
        this.runFolder = runFolder;
        this.kafka = kafka;
        this.clusterFile = clusterFile;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.address()));
        try {
            partitionLeader();
        } catch (IllegalStateException e) {
            // Only a warm-up: the fault says why when it is its turn.
        }
    }

    /** The member of the kafka node that leads partition 0 of {@code posts}. */
    String partitionLeader() {
        try {
            TopicDescription posts = admin.describeTopics(List.of("posts")).allTopicNames().get(30, TimeUnit.SECONDS)
                                          .get("posts");
            return kafka.name() + '-' + posts.partitions().getFirst().leader().id();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot find the leader of posts-0 at " + kafka.address() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while finding the leader of posts-0", e);
        }
    }

    /** A worker that runs now. */
    String worker() {
        return ready("worker").getFirst().name();
    }

    /** The node whose outbox relay publishes now (its {@code millions_outbox_leader} is 1): a web node. */
    String relay() {
        List<NodeState> candidates = new ArrayList<>(ready("web"));
        candidates.addAll(ready("worker"));
        for (NodeState web : candidates) {
            try {
                String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(web.url() + "metrics"))
                                                      .timeout(Duration.ofSeconds(5)).build(),
                                           HttpResponse.BodyHandlers.ofString()).body();
                if (metrics.lines().anyMatch(line -> line.startsWith("millions_outbox_leader{") && line.endsWith(" 1.0"))) {
                    return web.name();
                }
            } catch (IOException e) {
                // Not this one.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while finding the relay", e);
            }
        }
        throw new IllegalStateException("no node says its relay publishes (millions_outbox_leader 1)");
    }

    /** The replicated database's primary now. */
    String primary() {
        try {
            return JSON.readTree(clusterFile.toFile()).path("primary").asText();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + clusterFile + ": " + e, e);
        }
    }

    void kill(String node) {
        new NodeFaults(runFolder).inject(FaultAction.KILL, node, null);
    }

    @Override
    public void close() {
        admin.close();
    }

    private List<NodeState> ready(String role) {
        List<NodeState> nodes = RunState.read(runFolder.stateFile()).orElseThrow().nodes().stream()
                                        .filter(node -> node.role().equals(role) && node.status() == NodeStatus.READY)
                                        .toList();
        if (nodes.isEmpty()) {
            throw new IllegalStateException("no " + role + " node is ready");
        }
        return nodes;
    }
}
