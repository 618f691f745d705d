package dev.millions.ops.node;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.millions.common.process.ChildProcess;
import dev.millions.common.process.Ports;
import dev.millions.ops.topology.NodeSpec;

/**
 * The Spring Boot app's jar, run by its own JVM: a web node, or a worker (the same jar with
 * {@code MILLIONS_WORKER_ENABLED}), told where the database, cache, queue and CDN edges are.
 */
public final class AppJarNode extends JvmHttpNode implements Scalable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final long STOP_GRACE_MILLIS = 30_000;

    private final Map<String, String> properties;
    private final DatabaseAccess database;
    private final Optional<CacheAccess> cache;
    private final Optional<QueueAccess> queue;
    private final Map<String, String> roleEnvironment;

    /**
     * @param properties the app's properties, passed as {@code --name=value}
     * @param roleEnvironment what the role adds to the environment the app is given
     */
    public AppJarNode(NodeSpec spec, Map<String, String> properties, RunFolder runFolder, Installation installation,
                      DatabaseAccess database, Optional<CacheAccess> cache, Optional<QueueAccess> queue,
                      Map<String, String> roleEnvironment) {
        super(spec, runFolder, installation, STOP_GRACE_MILLIS);
        this.properties = Map.copyOf(properties);
        this.database = database;
        this.cache = cache;
        this.queue = queue;
        this.roleEnvironment = Map.copyOf(roleEnvironment);
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().add(Scalable.class, this).build();
    }

    @Override
    public NodeSpec copy(String name, Map<String, String> properties) {
        return properties.isEmpty() ? spec.copy(name, 0) : spec.copy(name, 0, spec.settings().withProperties(properties));
    }

    @Override
    public void start() {
        long startNanos = System.nanoTime();
        try {
            installation.checkAppJar();
            // A restart keeps the port it first got: clients were given that address.
            port = port != 0 ? checkFree(port) : Ports.free(spec.host());
            Map<String, String> environment = environment();
            AppStartupCache.Launch launch = AppStartupCache.of(installation).prepare(this::javaCommand, environment, log());
            List<String> command = new ArrayList<>();
            // A session of its own keeps a terminal's Ctrl-C away: the supervisor stops nodes in order.
            command.add("setsid");
            command.addAll(javaCommand(launch));
            ChildProcess started = launch(command, environment);
            HttpReadiness.await(this, started, URI.create(url() + "health/readiness"), START_TIMEOUT, startNanos);
        } catch (IOException | IllegalStateException e) {
            throw new NodeStartException(e.getMessage(), log(), e);
        }
    }

    private List<String> javaCommand(AppStartupCache.Launch launch) {
        List<String> command = new ArrayList<>();
        command.add(installation.java().toString());
        command.addAll(safetyOptions());
        command.addAll(installation.jvmOptions());
        command.addAll(spec.jvmOptions());
        command.addAll(launch.jvmOptions());
        command.add("-jar");
        command.add(launch.jar().toString());
        properties.forEach((name, value) -> command.add("--" + name + '=' + value));
        return command;
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(roleEnvironment);
        environment.putAll(Map.of("SERVER_ADDRESS", spec.host(),
                      "SERVER_PORT", Integer.toString(port),
                      "SPRING_DATASOURCE_URL", database.jdbcUrl(),
                      "SPRING_DATASOURCE_USERNAME", database.username(),
                      "SPRING_DATASOURCE_PASSWORD", database.password(),
                      "MILLIONS_DATABASE_NODES_FILE", database.nodesFile().map(Path::toString).orElse(""),
                      "MILLIONS_CACHE_NODES", cache.map(CacheAccess::seeds).orElse(""),
                      "MILLIONS_CDN_EDGES_FILE", runFolder.cdnEdgesFile().toString(),
                      "MILLIONS_QUEUE_BOOTSTRAP_SERVERS", queue.map(QueueAccess::bootstrapServers).orElse(""),
                      "MILLIONS_NODE_NAME", spec.name()));
        environment.put("MILLIONS_DATABASE_CLUSTER", database.cluster());
        return environment;
    }

    private int checkFree(int wanted) {
        // As the app's server binds: connections of a killed predecessor in TIME_WAIT do not count.
        if (!Ports.isFree(spec.host(), wanted)) {
            throw new IllegalStateException("port " + wanted + " on " + spec.host() + " is already in use; give "
                                            + spec.name() + " another port in the topology file");
        }
        return wanted;
    }
}
