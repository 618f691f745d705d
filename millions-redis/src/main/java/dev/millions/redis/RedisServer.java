package dev.millions.redis;

import java.nio.file.Path;

/**
 * A {@code redis-server} run by this process, with its own data folder (so a restart keeps its data)
 * and log.
 *
 * <pre>{@code
 * RedisServer redis = RedisServer.builder().dataDirectory(Path.of("run/data/redis-1")).build();
 * redis.start();   // waits until it answers PING (after loading its data)
 * }</pre>
 */
public interface RedisServer extends AutoCloseable {

    static RedisServerBuilder builder() {
        return new RedisServerBuilder();
    }

    /** Starts the server and waits until it answers {@code PING} with {@code PONG}. */
    void start();

    /** SIGTERM (Redis writes its snapshot, when snapshots are on, and exits), SIGKILL after a grace period. */
    void stop();

    boolean isReady();

    String host();

    int port();

    /** The process id, or -1 when it does not run. */
    long pid();

    Path logFile();

    @Override
    default void close() {
        stop();
    }
}
