package dev.millions.ops.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A node's process tree as {@code /proc} tells it (proc(5)): its resident memory, its descendants'
 * included (PostgreSQL's backends), and whether it is paused ({@code SIGSTOP}: state {@code T}).
 */
final class ProcessTreeState {

    /** The kernel's page size on every machine this runs on; statm counts in pages. */
    private static final long PAGE_BYTES = 4096;

    private ProcessTreeState() {}

    static long rssBytes(long pid) {
        return ProcessHandle.of(pid)
                            .map(root -> Stream.concat(Stream.of(root), root.descendants())
                                               .mapToLong(process -> residentPages(process.pid())).sum() * PAGE_BYTES)
                            .orElse(0L);
    }

    static boolean paused(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long residentPages(long pid) {
        try {
            String[] statm = Files.readString(Path.of("/proc", Long.toString(pid), "statm"), StandardCharsets.US_ASCII)
                                  .strip().split(" ");
            return Long.parseLong(statm[1]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
