package dev.millions.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.common.process.Ports;

/**
 * Starts the nodes of a {@link KafkaCluster} and asks it, through the admin client, which brokers it has
 * registered. The cluster's id and each node's two ports are chosen once and kept in
 * {@code <dataRoot>/cluster.properties}: a node started again must find the quorum where it was.
 */
final class LaunchedKafkaCluster implements KafkaCluster {

    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration UNREGISTER_RETRY = Duration.ofMillis(100);
    private static final Logger logger = LoggerFactory.getLogger(LaunchedKafkaCluster.class);

    /** What every node of the cluster shares. */
    record Settings(String clusterId, String voters, int replicationFactor, int minInSyncReplicas, Path classpath,
                    Path java, List<String> jvmOptions, int heapMegabytes, Duration sessionTimeout,
                    @Nullable Path metricsAgent) {}

    private final List<LaunchedKafkaNode> nodes = new ArrayList<>();
    private final Duration sessionTimeout;
    private @Nullable Admin fencingAdmin;

    LaunchedKafkaCluster(List<String> names, String host, Path dataRoot, Path logRoot, Path classpath, Path java,
                         List<String> jvmOptions, int heapMegabytes, Duration sessionTimeout,
                         @Nullable Path metricsAgent) {
        this.sessionTimeout = sessionTimeout;
        Properties identity = identity(names, host, dataRoot);
        String voters = names.stream()
                             .map(name -> (names.indexOf(name) + 1) + "@" + host + ':' + identity.getProperty(name + ".controller.port"))
                             .collect(Collectors.joining(","));
        int replication = Math.min(3, names.size());
        Settings settings = new Settings(identity.getProperty("cluster.id"), voters, replication, Math.max(1, replication - 1),
                                         classpath, java, jvmOptions, heapMegabytes, sessionTimeout, metricsAgent);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            nodes.add(new LaunchedKafkaNode(i + 1, name, host, Integer.parseInt(identity.getProperty(name + ".port")),
                                            Integer.parseInt(identity.getProperty(name + ".controller.port")),
                                            Integer.parseInt(identity.getProperty(name + ".metrics.port")),
                                            dataRoot.resolve(name), logRoot.resolve(name + ".log"), settings,
                                            this::unregisterLost));
        }
    }

    /** All nodes at once: a new quorum needs a majority up before any broker listens, and formatting takes seconds. */
    @Override
    public void start() {
        try {
            startNodes();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void startNodes() {
        long start = System.nanoTime();
        inParallel(LaunchedKafkaNode::launch);
        nodes.forEach(LaunchedKafkaNode::awaitListening);
        // The fencing client finds the cluster now, not when a broker has just died.
        fencingAdmin().listTopics();
        while (registeredBrokers().size() < nodes.size()) {
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            if (elapsedMillis > REGISTRATION_TIMEOUT.toMillis()) {
                throw new KafkaException("the cluster registered brokers " + registeredBrokers() + " of " + nodes.size()
                                         + " within " + elapsedMillis + " ms; see " + nodes.getFirst().logFile());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while the cluster started", e);
            }
        }
    }

    /**
     * All nodes at once. Each process shuts its broker down before its controller, so the controllers
     * are all still there for every broker's controlled shutdown; one node after the other, the last
     * brokers would wait in vain for a quorum that had already gone.
     */
    @Override
    public void stop() {
        inParallel(LaunchedKafkaNode::stop);
        synchronized (this) {
            if (fencingAdmin != null) {
                fencingAdmin.close(Duration.ZERO);
                fencingAdmin = null;
            }
        }
    }

    /**
     * The admin client that unregisters lost brokers, made once and kept: made when a broker dies, on a
     * busy machine it took over a second to find the cluster before it could ask anything.
     */
    private synchronized Admin fencingAdmin() {
        if (fencingAdmin == null) {
            fencingAdmin = admin();
        }
        return fencingAdmin;
    }

    private void inParallel(Consumer<LaunchedKafkaNode> action) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            nodes.forEach(node -> done.add(executor.submit(() -> action.accept(node))));
            for (Future<?> future : done) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException failure ? failure
                                                                           : new KafkaException(String.valueOf(e.getCause()), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaException("interrupted while the nodes started or stopped", e);
                }
            }
        }
    }

    /**
     * Unregisters a broker whose process died without a controlled shutdown. Left alone, it keeps its
     * leaderships until the controller has missed its heartbeats for the session timeout, and when the
     * dead node was also the active controller, the new one counts that timeout again from its election:
     * 4.6 to 8.7 s of stalled writes on this machine against a goal of 3 s. The launcher sees its child
     * exit at once, as the failover manager sees PostgreSQL's primary go, so it tells the controller: an
     * unregistration moves the broker's leaderships at once, as a fence does (Kafka's
     * {@code ReplicationControlManager.unregisterBroker}). The node registers again when it starts.
     * Attempts stop once the node runs again, so that a broker started since is never unregistered, and
     * after twice the session timeout, by when the controller has fenced it anyway.
     */
    private void unregisterLost(LaunchedKafkaNode node) {
        Thread.ofVirtual().name("unregister-broker-" + node.id()).start(() -> {
            long start = System.nanoTime();
            long deadline = start + 2 * sessionTimeout.toNanos();
            try {
                Admin admin = fencingAdmin();
                while (node.isLost() && System.nanoTime() < deadline) {
                    try {
                        admin.unregisterBroker(node.id()).all().get(sessionTimeout.toMillis(), TimeUnit.MILLISECONDS);
                        logger.info("{} exited without a controlled shutdown; broker {} unregistered after {} ms, so its "
                                    + "leaderships moved", node, node.id(), (System.nanoTime() - start) / 1_000_000);
                        return;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof BrokerIdNotRegisteredException) {
                            return;
                        }
                        Thread.sleep(UNREGISTER_RETRY.toMillis());
                    } catch (TimeoutException e) {
                        // No controller yet (the dead node led the quorum): the next attempt finds the new one.
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                logger.warn("cannot unregister broker {} of {}, which exited; the controller fences it after {} ms",
                            node.id(), node, sessionTimeout.toMillis(), e);
            }
        });
    }

    @Override
    public List<KafkaNode> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public String bootstrapServers() {
        return nodes.stream().map(node -> node.host() + ':' + node.port()).collect(Collectors.joining(","));
    }

    @Override
    public void createTopic(String name, int partitions) {
        KafkaClusterBuilder.checkArgument(partitions >= 1, "partitions: %s (expected: >= 1)", partitions);
        int replication = Math.min(3, nodes.size());
        NewTopic topic = new NewTopic(name, partitions, (short) replication)
                .configs(Map.of("min.insync.replicas", Integer.toString(Math.max(1, replication - 1))));
        try (Admin admin = admin()) {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("cannot create topic " + name + ": " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new KafkaException("creating topic " + name + " took over " + ADMIN_TIMEOUT.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topic " + name, e);
        }
    }

    @Override
    public List<Integer> registeredBrokers() {
        try (Admin admin = admin()) {
            return admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                        .map(Node::id).sorted().toList();
        } catch (ExecutionException | TimeoutException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                                   AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                                   AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis(),
                                   AdminClientConfig.CLIENT_ID_CONFIG, "millions-launcher"));
    }

    /** The cluster's id and ports: read back when the cluster ran before, else chosen now and written. */
    private static Properties identity(List<String> names, String host, Path dataRoot) {
        Path file = dataRoot.resolve("cluster.properties");
        Properties identity = new Properties();
        try {
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file)) {
                    identity.load(in);
                }
                List<String> missing = names.stream().filter(name -> identity.getProperty(name + ".port") == null).toList();
                if (missing.isEmpty()) {
                    return withMetricsPorts(identity, names, host, file);
                }
                throw new KafkaException(file + " knows no nodes " + missing + ": a cluster keeps the nodes it was "
                                         + "made with (delete the folder for a new one)");
            }
            identity.setProperty("cluster.id", randomClusterId());
            Set<Integer> ports = new LinkedHashSet<>();
            while (ports.size() < 2 * names.size()) {
                ports.add(Ports.free(host));
            }
            Iterator<Integer> next = ports.iterator();
            for (String name : names) {
                identity.setProperty(name + ".port", next.next().toString());
                identity.setProperty(name + ".controller.port", next.next().toString());
            }
            Files.createDirectories(dataRoot);
            return withMetricsPorts(identity, names, host, file);
        } catch (IOException e) {
            throw new KafkaException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The identity with a metrics port for each node, chosen once and kept like the others (a cluster made
     * before nodes had metrics gets them now), written to {@code file}.
     */
    private static Properties withMetricsPorts(Properties identity, List<String> names, String host, Path file)
            throws IOException {
        boolean added = !host.equals(identity.getProperty("host"));
        identity.setProperty("host", host);
        for (String name : names) {
            if (identity.getProperty(name + ".metrics.port") == null) {
                int port;
                do {
                    port = Ports.free(host);
                } while (identity.containsValue(Integer.toString(port)));
                identity.setProperty(name + ".metrics.port", Integer.toString(port));
                added = true;
            }
        }
        if (added || !Files.exists(file)) {
            try (Writer out = Files.newBufferedWriter(file)) {
                identity.store(out, "The Kafka cluster's id and each node's ports, chosen at its first start");
            }
        }
        return identity;
    }

    /**
     * Where a node of the cluster in {@code dataRoot} serves its metrics, as its first start chose; empty
     * before that, or for a node it does not know.
     */
    static Optional<URI> metricsUrl(Path dataRoot, String name) {
        Properties identity = new Properties();
        try (Reader in = Files.newBufferedReader(dataRoot.resolve("cluster.properties"))) {
            identity.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        String host = identity.getProperty("host");
        String port = identity.getProperty(name + ".metrics.port");
        return host == null || port == null ? Optional.empty()
                                            : Optional.of(URI.create("http://" + host + ':' + port + "/metrics"));
    }

    /**
     * Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding, as {@code kafka-storage
     * random-uuid}; like Kafka's own {@code Uuid.randomUuid()}, never one that starts with '-', which a
     * command line would take for an option (one id in 64 would).
     */
    private static String randomClusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            byte[] bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (uuid.getMostSignificantBits() >>> (56 - 8 * i));
                bytes[8 + i] = (byte) (uuid.getLeastSignificantBits() >>> (56 - 8 * i));
            }
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }
}
