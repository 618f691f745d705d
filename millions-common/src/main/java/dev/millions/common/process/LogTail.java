package dev.millions.common.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a log, read from its end: a failure message quotes them. */
public final class LogTail {

    private LogTail() {}

    /** At most the last {@code lines} lines of {@code log}, without loading a large file; empty without a log. */
    public static List<String> lines(Path log, int lines) {
        if (log == null || !Files.isRegularFile(log)) {
            return List.of();
        }
        long window = Math.max(8192, lines * 512L);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, file.length() - window);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            if (start > 0 && all.size() > 1) {
                all = all.subList(1, all.size()); // the first line was cut by the window
            }
            // A single line longer than the window (a JSON log line with its stack trace) is kept, cut
            // at its start: dropping it hid why a node failed to start.
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ')');
        }
    }

    /** The same lines, joined. */
    public static String of(Path log, int lines) {
        return String.join("\n", lines(log, lines));
    }
}
