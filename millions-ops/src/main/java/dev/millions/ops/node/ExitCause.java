package dev.millions.ops.node;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Says in words why a node's process ended: a signal, an exit code, or a heap that ran out. */
public final class ExitCause {

    /** How much of the end of a log is searched for the JVM's last words. */
    private static final int LOG_TAIL_BYTES = 64 * 1024;
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT",
                                                               9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

    private ExitCause() {}

    /**
     * @param exitValue as {@link Process#exitValue()} gives it: 128 + N for a process ended by signal N
     * @param log the node's log, or {@code null}
     * @param logStart where this run of the process began writing in the log
     */
    public static String describe(Integer exitValue, Path log, long logStart) {
        if (outOfMemory(log, logStart)) {
            return "out of memory (java.lang.OutOfMemoryError in its log)";
        }
        if (exitValue == null) {
            return "exited";
        }
        if (exitValue > 128 && exitValue < 160) {
            int signal = exitValue - 128;
            return "killed by " + SIGNALS.getOrDefault(signal, "signal " + signal);
        }
        return "exit code " + exitValue;
    }

    private static boolean outOfMemory(Path log, long logStart) {
        if (log == null || !Files.isReadable(log)) {
            return false;
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(logStart, file.length() - LOG_TAIL_BYTES);
            if (from >= file.length()) {
                return false;
            }
            byte[] tail = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(tail);
            return new String(tail, StandardCharsets.ISO_8859_1).contains("OutOfMemoryError");
        } catch (IOException e) {
            return false;
        }
    }
}
