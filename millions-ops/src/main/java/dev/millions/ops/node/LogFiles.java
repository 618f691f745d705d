package dev.millions.ops.node;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the end of a node's log without loading a large file. */
public final class LogFiles {

    private LogFiles() {}

    public static List<String> tail(Path log, int lines) {
        if (!Files.isRegularFile(log)) {
            return List.of();
        }
        long window = Math.max(8192, lines * 512L);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, file.length() - window);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            if (start > 0 && !all.isEmpty()) {
                all = all.subList(1, all.size()); // the first line was cut by the window
            }
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ')');
        }
    }
}
