package dev.millions.ops.supervisor;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.postgres.PostgresServer;

/** A web node: the Spring Boot app's jar, run by its own JVM. */
final class WebNode extends JvmHttpNode {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final long STOP_GRACE_MILLIS = 30_000;

    private final PostgresServer database;
    private final Path databaseNodesFile;
    private final String cacheNodes;

    /**
     * @param databaseNodesFile for a replicated database, the file of its members (host:port lines),
     *                          which the app routes over itself; {@code null} for a single server
     * @param cacheNodes the Redis Cluster for its cache and sessions ({@code host:port,...}), or {@code null}
     */
    WebNode(NodeSpec spec, RunFolder runFolder, Installation installation, PostgresServer database,
            Path databaseNodesFile, String cacheNodes) {
        super(spec, runFolder, installation, STOP_GRACE_MILLIS);
        this.database = database;
        this.databaseNodesFile = databaseNodesFile;
        this.cacheNodes = cacheNodes;
    }

    @Override
    public void start() {
        long startNanos = System.nanoTime();
        try {
            installation.checkAppJar();
            // A restart keeps the port it first got: clients were given that address.
            port = port != 0 ? checkFree(port) : HttpReadiness.freePort(spec.host());
            Files.createDirectories(log().getParent());
            ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true)
                                                                  .redirectOutput(Redirect.appendTo(log().toFile()))
                                                                  .redirectInput(Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment());
            Process started = launch(builder);
            HttpReadiness.await(this, started, URI.create(url() + "health/readiness"), START_TIMEOUT, startNanos);
        } catch (IOException | IllegalStateException e) {
            throw new NodeStartException(e.getMessage(), log(), e);
        }
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        // A session of its own keeps a terminal's Ctrl-C away: the supervisor stops nodes in order.
        command.add("setsid");
        command.add(installation.java().toString());
        command.addAll(safetyOptions());
        command.addAll(spec.jvmOptions());
        command.add("-jar");
        command.add(installation.appJar().toString());
        spec.settings().forEach((name, value) -> command.add("--" + name + '=' + value));
        return command;
    }

    private Map<String, String> environment() {
        return Map.of("SERVER_ADDRESS", spec.host(),
                      "SERVER_PORT", Integer.toString(port),
                      "SPRING_DATASOURCE_URL", database.jdbcUrl(),
                      "SPRING_DATASOURCE_USERNAME", database.username(),
                      "SPRING_DATASOURCE_PASSWORD", database.password(),
                      "MILLIONS_DATABASE_NODES_FILE", databaseNodesFile == null ? "" : databaseNodesFile.toString(),
                      "MILLIONS_CACHE_NODES", cacheNodes == null ? "" : cacheNodes,
                      "MILLIONS_MEDIA_DIR", runFolder.mediaDirectory().toString(),
                      "MILLIONS_NODE_NAME", spec.name());
    }

    private int checkFree(int wanted) {
        try (ServerSocket socket = new ServerSocket()) {
            // As the app's server does: connections of a killed predecessor in TIME_WAIT do not count.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(spec.host()), wanted));
            return wanted;
        } catch (IOException e) {
            throw new IllegalStateException("port " + wanted + " on " + spec.host() + " is already in use ("
                                            + e.getMessage() + "); give " + spec.name()
                                            + " another port in the topology file");
        }
    }
}
