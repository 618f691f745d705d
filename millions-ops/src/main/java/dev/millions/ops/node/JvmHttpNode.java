package dev.millions.ops.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.millions.common.process.ChildProcess;
import dev.millions.ops.topology.NodeSpec;

/**
 * What a node that is a JVM of ours serving HTTP has in common (the web app, the load balancer): its
 * port, kept across restarts, its process, stopped with SIGTERM and a grace period, and its log.
 */
public abstract class JvmHttpNode implements ManagedNode {

    /**
     * A JVM whose heap ran out has lost threads mid-work (Tomcat's acceptor and poller, Lettuce's event
     * loops) and may answer nobody while it looks alive: it exits instead, and is seen dead.
     */
    public static final String EXIT_ON_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";

    protected final NodeSpec spec;
    protected final RunFolder runFolder;
    protected final Installation installation;
    private final long stopGraceMillis;
    protected volatile int port;
    protected volatile OsProcess process;
    private volatile ChildProcess child;

    protected JvmHttpNode(NodeSpec spec, RunFolder runFolder, Installation installation, long stopGraceMillis) {
        this.spec = spec;
        this.runFolder = runFolder;
        this.installation = installation;
        this.stopGraceMillis = stopGraceMillis;
        this.port = spec.port();
    }

    /**
     * The JVM options every such node gets: it exits when its heap runs out (so that the supervisor
     * restarts it), and writes a heap dump first into the run folder, once: the JVM does not overwrite
     * an existing dump, so a node that runs out of memory again keeps its first one.
     */
    protected List<String> safetyOptions() {
        return List.of(EXIT_ON_OUT_OF_MEMORY, "-XX:+HeapDumpOnOutOfMemoryError",
                       "-XX:HeapDumpPath=" + runFolder.heapDump(spec.name()));
    }

    /** Starts {@code command} as this node's process, with its log appended from here on. */
    protected ChildProcess launch(List<String> command, Map<String, String> environment) throws IOException {
        Files.createDirectories(runFolder.heapDump(spec.name()).getParent());
        ChildProcess started = ChildProcess.start(command, log(), environment);
        child = started;
        process = OsProcess.of(started.handle());
        return started;
    }

    @Override
    public String exitCause() {
        ChildProcess ended = child;
        return ended == null ? ExitCause.describe(null, log(), 0)
                             : ExitCause.describe(ended.exitCode(), log(), ended.logStart());
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public void stop() {
        OsProcess running = process;
        if (running != null) {
            // SIGTERM starts a graceful shutdown: requests in flight finish first.
            running.terminate("TERM", stopGraceMillis);
        }
    }

    @Override
    public OsProcess process() {
        return process;
    }

    @Override
    public String address() {
        return spec.host() + ':' + port;
    }

    @Override
    public String url() {
        return "http://" + address() + '/';
    }

    @Override
    public Path log() {
        return runFolder.logFile(spec.name());
    }
}
