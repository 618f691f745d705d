package dev.millions.common.process;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A server process that a launcher of ours started: its output appended to its log, its input empty,
 * its pid while it runs, and the stop that each server asks for (a signal, a grace period, the next
 * signal, SIGKILL at last). The PostgreSQL, Redis and Kafka launchers and the supervisor's JVM nodes
 * share it.
 */
public final class ChildProcess {

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final Process process;
    private final Path log;
    private final long logStart;

    private ChildProcess(Process process, Path log, long logStart) {
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /**
     * Starts {@code command} with its output and errors appended to {@code log} (its folder is made) and
     * {@code /dev/null} as input.
     *
     * @param environment added to this process's environment
     * @throws IOException when the command cannot be run
     */
    public static ChildProcess start(List<String> command, Path log, Map<String, String> environment)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        long logStart = Files.isRegularFile(log) ? Files.size(log) : 0;
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                                                            .redirectOutput(Redirect.appendTo(log.toFile()))
                                                            .redirectInput(Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        return new ChildProcess(builder.start(), log, logStart);
    }

    /** The pid while it runs, -1 after it exited. */
    public long pid() {
        return process.isAlive() ? process.pid() : -1;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once it has exited, else {@code null}. */
    public @Nullable Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    public Path log() {
        return log;
    }

    /** The log's size when this process started: where its own lines begin. */
    public long logStart() {
        return logStart;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** Runs {@code action} on a JDK thread as soon as the process has exited, however it ended. */
    public void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    /**
     * Waits for the exit. An interrupt ends the wait early and is kept for the caller.
     *
     * @return whether it exited
     */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends {@code signal} ({@code TERM}, {@code INT}, {@code STOP}, ...); false when it could not be sent. */
    public boolean signal(String signal) {
        return Signals.send(process.pid(), signal);
    }

    /**
     * Stops it the way the server asks for: each step's signal, then its grace period, until it has
     * exited; SIGKILL to it and its descendants when no step did. A pending interrupt is set aside until
     * the process is down, so that it cannot turn a clean shutdown into a kill.
     *
     * @return whether one of the steps stopped it (false: it had to be killed)
     */
    public boolean stop(List<StopStep> steps) {
        if (!process.isAlive()) {
            return true;
        }
        boolean interrupted = Thread.interrupted();
        try {
            for (StopStep step : steps) {
                if (signal(step.signal()) && awaitExit(step.grace())) {
                    return true;
                }
            }
            kill();
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * SIGKILL to the process and its descendants (a server's workers, which would otherwise finish
     * what they were doing), then waits until it is gone.
     */
    public void kill() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        awaitExit(KILL_WAIT);
    }

    /** One step of a stop: a signal and how long the process may take to exit after it. */
    public record StopStep(String signal, Duration grace) {

        public static StopStep of(String signal, Duration grace) {
            return new StopStep(signal, grace);
        }
    }

    @Override
    public String toString() {
        return "ChildProcess{pid " + process.pid() + (process.isAlive() ? "" : ", exited") + ", log " + log + '}';
    }
}
