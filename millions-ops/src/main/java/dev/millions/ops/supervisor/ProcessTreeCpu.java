package dev.millions.ops.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * CPU time a node has used so far: its process and every descendant, read from {@code /proc/PID/stat}
 * (proc(5)). A descendant that has exited and been reaped is still counted, in its parent's
 * {@code cutime}/{@code cstime}: PostgreSQL's short-lived workers and Redis' forks for a snapshot or an
 * AOF rewrite are part of what a node costs. Where there is no {@code /proc}, every node costs 0.
 */
public final class ProcessTreeCpu {

    /** USER_HZ: the unit of the times in {@code /proc}, 100 on every architecture Linux runs on today. */
    private static final double TICKS_PER_SECOND = 100;
    private static final int UTIME = 14;
    private static final int CSTIME = 17;

    private ProcessTreeCpu() {}

    /**
     * Seconds of CPU used by {@code pid} and its descendants, dead ones included; empty if it is gone.
     * The root is read last: a child that exits between being listed and being read has its time in
     * the root's {@code cutime} by then, so it is not lost from this sample.
     */
    public static OptionalDouble seconds(long pid) {
        Optional<ProcessHandle> root = ProcessHandle.of(pid);
        if (root.isEmpty()) {
            return OptionalDouble.empty();
        }
        long children = root.get().descendants().mapToLong(process -> Math.max(0, ticks(process.pid()))).sum();
        long own = ticks(pid);
        return own < 0 ? OptionalDouble.empty() : OptionalDouble.of((children + own) / TICKS_PER_SECOND);
    }

    private static long ticks(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return -1;
        }
        // The fields are counted from after the command name, which is in parentheses and may hold spaces;
        // proc(5) numbers them from 1 with the pid, the name being field 2.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = 0;
        for (int field = UTIME; field <= CSTIME; field++) {
            ticks += Long.parseLong(fields[field - 3]);
        }
        return ticks;
    }
}
