package dev.millions.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.millions.common.process.ChildProcess;
import dev.millions.common.process.ChildServer;
import dev.millions.common.process.LogTail;
import org.jspecify.annotations.Nullable;

/** One broker-and-controller JVM: {@code kafka.Kafka server.properties}, formatted first when new. */
final class LaunchedKafkaNode extends ChildServer implements KafkaNode {

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(120);
    /**
     * A broker killed under load recovers its logs before it listens: on two busy cores, beside the
     * restart of a worker and a web node, that took 81 to 96 s, and once over 120 s. A start given up
     * is a recovery begun again, so it is given five minutes.
     */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    /** A controlled shutdown moves the node's leaderships away first; on a busy machine that takes seconds. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    /**
     * What the JMX exporter serves: the broker's traffic over all topics, its replicas' health, the
     * controller's view, and its JVM. Every MBean would be 13,000 lines taking 1.8 s a scrape on this
     * machine, once a second, on every broker: most are per topic and partition, and retry topics
     * multiply them.
     */
    private static final String EXPORTED = """
            # Written by millions at each start; edits are overwritten.
            lowercaseOutputName: true
            lowercaseOutputLabelNames: true
            includeObjectNames:
              - "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec"
              - "kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec"
              - "kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec"
              - "kafka.server:type=BrokerTopicMetrics,name=FailedProduceRequestsPerSec"
              - "kafka.server:type=BrokerTopicMetrics,name=FailedFetchRequestsPerSec"
              - "kafka.server:type=ReplicaManager,name=*"
              - "kafka.controller:type=KafkaController,name=*"
              - "java.lang:type=Memory"
            """;

    private final int id;
    private final String name;
    private final String host;
    private final int port;
    private final int controllerPort;
    private final int metricsPort;
    private final Path dataDir;
    private final LaunchedKafkaCluster.Settings settings;
    private final Consumer<LaunchedKafkaNode> onLoss;
    /** Whether the process running now is being stopped by us, so that its exit is no loss. */
    private boolean stopping;

    /** @param onLoss told when the node's process exits without our stop: killed, crashed, out of memory */
    LaunchedKafkaNode(int id, String name, String host, int port, int controllerPort, int metricsPort, Path dataDir,
                      Path logFile, LaunchedKafkaCluster.Settings settings, Consumer<LaunchedKafkaNode> onLoss) {
        super(logFile);
        this.id = id;
        this.name = name;
        this.host = host;
        this.port = port;
        this.controllerPort = controllerPort;
        this.metricsPort = metricsPort;
        this.dataDir = dataDir;
        this.settings = settings;
        this.onLoss = onLoss;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public int controllerPort() {
        return controllerPort;
    }

    @Override
    public int metricsPort() {
        return metricsPort;
    }

    // Not synchronized: the wait for a broker that recovers its logs takes long, and its pid, its loss
    // and its stop must be answered meanwhile.
    @Override
    public void start() {
        launch();
        awaitListening();
    }

    /** Formats a new node and starts its process, without waiting: a new quorum needs a majority up first. */
    synchronized void launch() {
        if (running()) {
            return;
        }
        try {
            Path properties = writeProperties();
            if (!Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
                format(properties);
            }
            ChildProcess started = ChildProcess.start(command(metricsAgent(), "kafka.Kafka", properties.toString()),
                                                      logFile(), Map.of());
            process = started;
            stopping = false;
            started.onExit(() -> {
                if (isLost(started)) {
                    onLoss.accept(this);
                }
            });
        } catch (IOException e) {
            throw new KafkaException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the broker accepts connections; fails with the log's last lines when it exits or times out. */
    void awaitListening() {
        ChildProcess process = launched();
        if (process == null) {
            throw new IllegalStateException(name + " was never launched");
        }
        long start = System.nanoTime();
        while (!accepts()) {
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            if (!process.isAlive() || elapsedMillis > START_TIMEOUT.toMillis()) {
                String why = process.isAlive() ? "did not listen on " + host + ':' + port + " within " + elapsedMillis + " ms"
                                               : "exited with code " + process.exitCode() + " after " + elapsedMillis + " ms";
                process.kill();
                throw new KafkaException(name + ' ' + why + "; last log lines:\n" + LogTail.of(logFile(), 20));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while " + name + " started", e);
            }
        }
    }

    private synchronized @Nullable ChildProcess launched() {
        return process;
    }

    /** Whether {@code which} is still this node's process and exited without our stop. */
    private synchronized boolean isLost(ChildProcess which) {
        return which == process && !stopping && !which.isAlive();
    }

    /** Whether the node is down now without our stop, and not started again. */
    synchronized boolean isLost() {
        return process != null && isLost(process);
    }

    @Override
    public synchronized void stop() {
        stopping = true;
        if (process != null) {
            process.stop(List.of(ChildProcess.StopStep.of("TERM", SHUTDOWN_GRACE)));
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void format(Path properties) throws IOException {
        ChildProcess formatting = ChildProcess.start(command(List.of(), "kafka.tools.StorageTool", "format",
                                                             "--cluster-id=" + settings.clusterId(),
                                                             "--config", properties.toString(),
                                                             "--ignore-formatted"), logFile(), Map.of());
        if (!formatting.awaitExit(FORMAT_TIMEOUT) || !Integer.valueOf(0).equals(formatting.exitCode())) {
            formatting.kill();
            throw new KafkaException("formatting the storage of " + name + " failed (exit code " + formatting.exitCode()
                                     + "); last log lines:\n" + LogTail.of(logFile(), 20));
        }
    }

    private List<String> command(List<String> agent, String mainClass, String... arguments) {
        List<String> command = new ArrayList<>(List.of(settings.java().toString(),
                "-Xms" + settings.heapMegabytes() / 2 + "m", "-Xmx" + settings.heapMegabytes() + "m",
                "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSXXX"));
        command.addAll(settings.jvmOptions());
        command.addAll(agent);
        command.addAll(List.of("-cp", settings.classpath().toAbsolutePath() + "/*", mainClass));
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * The JMX exporter agent's option, serving the broker's chosen MBeans as Prometheus text on the
     * metrics port; none without an agent.
     */
    private List<String> metricsAgent() throws IOException {
        Path agent = settings.metricsAgent();
        if (agent == null) {
            return List.of();
        }
        Path config = Files.writeString(dataDir.resolve("jmx-exporter.yaml"), EXPORTED);
        return List.of("-javaagent:" + agent.toAbsolutePath() + '=' + host + ':' + metricsPort + ':'
                       + config.toAbsolutePath());
    }

    private Path writeProperties() throws IOException {
        Files.createDirectories(dataDir);
        int replication = settings.replicationFactor();
        int minInSync = settings.minInSyncReplicas();
        String text = String.join("\n",
                "# Written by millions at each start; edits are overwritten.",
                "process.roles=broker,controller",
                "node.id=" + id,
                "controller.quorum.voters=" + settings.voters(),
                "listeners=PLAINTEXT://" + host + ':' + port + ",CONTROLLER://" + host + ':' + controllerPort,
                "advertised.listeners=PLAINTEXT://" + host + ':' + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir.resolve("log").toAbsolutePath(),
                "num.partitions=6",
                "default.replication.factor=" + replication,
                "min.insync.replicas=" + minInSync,
                "offsets.topic.replication.factor=" + replication,
                "offsets.topic.num.partitions=12",
                "transaction.state.log.replication.factor=" + replication,
                "transaction.state.log.min.isr=" + minInSync,
                "transaction.state.log.num.partitions=12",
                "share.coordinator.state.topic.replication.factor=" + replication,
                "share.coordinator.state.topic.min.isr=" + minInSync,
                // Topics are created by our code, with their replication; a typo must not make a new one.
                "auto.create.topics.enable=false",
                // An out-of-sync replica never becomes leader: that would drop acknowledged writes.
                "unclean.leader.election.enable=false",
                "broker.session.timeout.ms=" + settings.sessionTimeout().toMillis(),
                "broker.heartbeat.interval.ms=" + Math.max(100, settings.sessionTimeout().toMillis() / 6),
                // When the active controller dies, a broker loss waits for a new one first: its followers
                // call an election after half the session timeout (Kafka: 2 s), and a vote takes 500 ms at most.
                "controller.quorum.fetch.timeout.ms=" + Math.max(1_000, settings.sessionTimeout().toMillis() / 2),
                "controller.quorum.election.timeout.ms=500",
                "controller.quorum.election.backoff.max.ms=500",
                "group.initial.rebalance.delay.ms=0",
                "");
        return Files.writeString(dataDir.resolve("server.properties"), text);
    }

    @Override
    public String toString() {
        return name + " (node " + id + ", " + host + ':' + port + ')';
    }
}
