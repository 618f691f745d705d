package dev.millions.common.process;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * A server that runs as one child process of this JVM at a time (a PostgreSQL or Redis server, a Kafka
 * node): what their launchers share, so that each keeps only how it starts and stops its own server.
 */
public abstract class ChildServer {

    private final Path logFile;
    /** The process started last; {@code null} before the first start. */
    protected volatile @Nullable ChildProcess process;

    protected ChildServer(Path logFile) {
        this.logFile = logFile;
    }

    /** Whether the process started last still runs. */
    protected final boolean running() {
        ChildProcess started = process;
        return started != null && started.isAlive();
    }

    /** The process id while it runs, -1 otherwise. */
    public long pid() {
        ChildProcess started = process;
        return started == null ? -1 : started.pid();
    }

    /** The file the process writes its output and errors to. */
    public Path logFile() {
        return logFile;
    }
}
