package dev.millions.ops.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import dev.millions.common.process.Signals;

/**
 * A process known by pid and start time, which may not be our child (the nodes of a detached system
 * are the children of its supervisor, not of {@code down}).
 *
 * <p>PID 1 does not reap orphans on some machines, so an exited process can linger as a zombie:
 * {@link #isAlive()} reads the state in {@code /proc} instead of trusting that the pid exists.
 *
 * <p>The start is the kernel's count of clock ticks since boot ({@code /proc/PID/stat}, field 22), not
 * {@link ProcessHandle.Info#startInstant()}: the JDK adds that count to a boot time derived from the wall
 * clock when the JVM starts, so two JVMs on either side of a clock step or a suspended machine compute
 * two instants for one process, and a live node looked recycled (issue ci, run 34).
 */
public record OsProcess(long pid, String start) {

    public static OsProcess of(ProcessHandle handle) {
        return new OsProcess(handle.pid(), startTicks(handle.pid()));
    }

    /** The running process of a server that says its pid (-1 or 0 when it has none), or {@code null}. */
    public static OsProcess ofPid(long pid) {
        return pid <= 0 ? null : ProcessHandle.of(pid).map(OsProcess::of).orElse(null);
    }

    public static Optional<OsProcess> of(long pid, String start) {
        return pid <= 0 ? Optional.empty() : Optional.of(new OsProcess(pid, start));
    }

    public boolean isAlive() {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        String actualStart = startTicks(pid);
        if (!start.isEmpty() && !actualStart.isEmpty() && !start.equals(actualStart)) {
            return false; // the pid was recycled by another process
        }
        return !isZombie();
    }

    /** Sends a signal by name (TERM, INT, KILL, STOP, CONT); false when the process is gone. */
    public boolean signal(String signal) {
        if (!isAlive()) {
            return false;
        }
        return Signals.send(pid, signal);
    }

    /** Waits until the process is gone; true if it went within the time. */
    public boolean awaitExit(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive();
            }
        }
        return true;
    }

    /** Asks politely, then insists: {@code signal}, then SIGKILL after {@code graceMillis}. */
    public boolean terminate(String signal, long graceMillis) {
        // A stop often follows an interrupted start (Ctrl-C); that interrupt must not cut the grace
        // period short and turn a clean shutdown into a SIGKILL, so it is set aside until the end.
        boolean interrupted = Thread.interrupted();
        try {
            signal(signal);
            if (awaitExit(graceMillis)) {
                return true;
            }
            signal("KILL");
            return awaitExit(5_000);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean isZombie() {
        try {
            String[] fields = statFieldsAfterName(pid);
            return fields.length > 0 && fields[0].equals("Z") && onlyTheLeaderLeft();
        } catch (IOException e) {
            return false;
        }
    }

    /** Field 22 of {@code /proc/PID/stat}, or "" when the process is gone or there is no {@code /proc}. */
    static String startTicks(long pid) {
        try {
            String[] fields = statFieldsAfterName(pid);
            return fields.length > 19 ? fields[19] : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The fields from the state (field 3) on: the command name before them is in parentheses and may hold spaces. */
    private static String[] statFieldsAfterName(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        int afterName = stat.lastIndexOf(')');
        return afterName < 0 ? new String[0] : stat.substring(afterName + 1).strip().split(" ");
    }

    /**
     * Whether the process's other threads are gone too. The main thread of an exiting JVM turns into a
     * zombie first; its other threads may still be exiting, holding the process's sockets (a restarted
     * node then found its port taken, 4 ms after its predecessor looked gone).
     */
    private boolean onlyTheLeaderLeft() throws IOException {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.limit(2).count() <= 1;
        }
    }
}
