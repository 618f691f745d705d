package dev.millions.ops.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The machine's process table as {@code /proc} tells it (proc(5)), read once per scrape: for a node's
 * process tree, its CPU time (descendants included, and those reaped, in {@code cutime}/{@code cstime}),
 * its resident memory, and whether it is paused ({@code SIGSTOP}: state {@code T}). One read of the
 * table serves every node: asking the JDK for each node's descendants walks all of {@code /proc} each
 * time, which cost the supervisor a sixth of a core with eighteen nodes.
 */
final class ProcessTreeState {

    /** USER_HZ: the unit of the times in {@code /proc}, 100 on every architecture Linux runs on today. */
    private static final double TICKS_PER_SECOND = 100;
    /** The kernel's page size on every machine this runs on; statm counts in pages. */
    private static final long PAGE_BYTES = 4096;

    private final Map<Long, List<Long>> children;

    private ProcessTreeState(Map<Long, List<Long>> children) {
        this.children = children;
    }

    /** The process table now: each process's children. */
    static ProcessTreeState read() {
        Map<Long, List<Long>> children = new HashMap<>();
        ProcessHandle.allProcesses().forEach(process -> process.parent().ifPresent(
                parent -> children.computeIfAbsent(parent.pid(), pid -> new ArrayList<>()).add(process.pid())));
        return new ProcessTreeState(children);
    }

    /** Seconds of CPU used by {@code pid} and its descendants, dead ones included; empty if it is gone. */
    OptionalDouble cpuSeconds(long pid) {
        long total = 0;
        for (long member : tree(pid)) {
            String[] fields = stat(member);
            if (fields == null) {
                if (member == pid) {
                    return OptionalDouble.empty();
                }
                continue;
            }
            // utime, stime, cutime, cstime: fields 14 to 17, counted here from field 3 (the state).
            for (int field = 14; field <= 17; field++) {
                total += Long.parseLong(fields[field - 3]);
            }
        }
        return OptionalDouble.of(total / TICKS_PER_SECOND);
    }

    long rssBytes(long pid) {
        long pages = 0;
        for (long member : tree(pid)) {
            try {
                String[] statm = Files.readString(Path.of("/proc", Long.toString(member), "statm"),
                                                  StandardCharsets.US_ASCII).strip().split(" ");
                pages += Long.parseLong(statm[1]);
            } catch (IOException | RuntimeException e) {
                // Gone since the table was read.
            }
        }
        return pages * PAGE_BYTES;
    }

    static boolean paused(long pid) {
        String[] fields = stat(pid);
        return fields != null && fields[0].equals("T");
    }

    private List<Long> tree(long pid) {
        List<Long> tree = new ArrayList<>();
        Deque<Long> pending = new ArrayDeque<>(List.of(pid));
        while (!pending.isEmpty()) {
            long next = pending.pop();
            tree.add(next);
            pending.addAll(children.getOrDefault(next, List.of()));
        }
        return tree;
    }

    /** The fields of {@code /proc/PID/stat} after the command name (which may hold spaces), or null. */
    private static String[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
