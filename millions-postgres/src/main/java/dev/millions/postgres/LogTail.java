package dev.millions.postgres;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a server log, and what they say went wrong. */
final class LogTail {

    private static final int MAX_BYTES = 8192;

    private LogTail() {}

    static String of(Path log, int lines) {
        if (log == null || !Files.isRegularFile(log)) {
            return "";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, file.length() - MAX_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ')';
        }
    }

    /** A plain-words reason for the failures users meet most, or an empty string. */
    static String diagnose(String tail, int port) {
        if (tail.contains("No space left on device")) {
            return "disk full: ";
        }
        if (tail.contains("could not bind") || tail.contains("Address already in use")) {
            return "port " + port + " is already in use: ";
        }
        if (tail.contains("lock file \"postmaster.pid\" already exists")) {
            return "another PostgreSQL already runs on this data directory: ";
        }
        if (tail.contains("Permission denied")) {
            return "permission denied: ";
        }
        return "";
    }
}
