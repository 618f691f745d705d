package dev.millions.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * Makes a standby's data folder from a running server's, as {@code pg_basebackup} would; the embedded
 * binaries do not ship it.
 *
 * <p>Design: PostgreSQL's low-level base backup ("Making a Base Backup Using the Low Level API",
 * PostgreSQL 17 manual, 26.3.4). {@code pg_backup_start} on one connection held for the whole copy,
 * a file copy that tolerates files changing or vanishing, {@code pg_backup_stop} whose label file
 * becomes {@code backup_label}; the standby then streams the WAL from the backup's start, which the
 * source keeps ({@code wal_keep_size}).
 */
final class StandbyClone {

    /** Runtime state of the source that a standby must not inherit. */
    private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
                                                            "backup_label.old", "tablespace_map",
                                                            "standby.signal", "recovery.signal");
    /** Folders created empty: their contents are the source's runtime state or its WAL. */
    private static final Set<String> EMPTIED_FOLDERS = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
                                                              "pg_notify", "pg_serial", "pg_snapshots",
                                                              "pg_subtrans");

    private StandbyClone() {}

    /**
     * Copies {@code source}'s data into the empty folder {@code target} and configures it to stream
     * from the source as {@code applicationName}.
     */
    static void copy(Connection sourceConnection, Path sourceData, Path target, ServerAccount account,
                     String primaryConninfo) {
        long startNanos = System.nanoTime();
        try (Statement statement = sourceConnection.createStatement()) {
            statement.execute("SELECT pg_backup_start('millions clone', true)");
            String label;
            try {
                copyTree(sourceData, target, account);
            } finally {
                try (ResultSet stop = statement.executeQuery("SELECT labelfile FROM pg_backup_stop(false)")) {
                    stop.next();
                    label = stop.getString(1);
                }
            }
            write(target.resolve("backup_label"), label, account);
            account.ownDirectory(target.resolve("pg_wal/archive_status"));
            write(target.resolve("standby.signal"), "", account);
            configureStandby(target, primaryConninfo);
        } catch (SQLException e) {
            throw new PostgresException("cannot clone " + sourceData + " into " + target + " after "
                                        + (System.nanoTime() - startNanos) / 1_000_000 + " ms: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PostgresException("cannot copy " + sourceData + " into " + target + ": " + e, e);
        }
    }

    /**
     * Points a standby at a primary. The values go to {@code postgresql.auto.conf}, where the last one
     * wins, so that {@code ALTER SYSTEM} can change them later; a {@code -c} option could not be changed.
     */
    static void configureStandby(Path data, String primaryConninfo) throws IOException {
        String settings = "\n# written by millions when this folder was cloned\n"
                          + "primary_conninfo = " + quote(primaryConninfo) + '\n'
                          + "recovery_target_timeline = 'latest'\n";
        Files.writeString(data.resolve("postgresql.auto.conf"), settings, StandardCharsets.UTF_8,
                          StandardOpenOption.APPEND, StandardOpenOption.CREATE);
    }

    /** A conninfo string for a standby of the server at {@code host:port}. */
    static String conninfo(String host, int port, String username, String password, String applicationName) {
        return "host=" + host + " port=" + port + " user=" + conninfoValue(username) + " password="
               + conninfoValue(password) + " application_name=" + conninfoValue(applicationName)
               + " connect_timeout=2";
    }

    /** A value in a configuration file: single quotes, a quote doubled. */
    static String quote(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }

    private static String conninfoValue(String value) {
        return '\'' + value.replace("\\", "\\\\").replace("'", "\\'") + '\'';
    }

    private static void copyTree(Path source, Path target, ServerAccount account) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Path copy = target.resolve(source.relativize(dir).toString());
                account.ownDirectory(copy);
                Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(dir));
                boolean emptied = dir.getParent() != null && dir.getParent().equals(source)
                                  && EMPTIED_FOLDERS.contains(dir.getFileName().toString());
                return emptied ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (file.getParent().equals(source) && SKIPPED_FILES.contains(file.getFileName().toString())) {
                    return FileVisitResult.CONTINUE;
                }
                Path copy = target.resolve(source.relativize(file).toString());
                try {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    account.own(copy);
                } catch (NoSuchFileException e) {
                    // Dropped while the copy ran: WAL replay from the backup's start recreates what matters.
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    /** Empties a data folder (it stays, with its owner), so a clone can fill it again. */
    static void empty(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            return;
        }
        Files.walkFileTree(data, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (!dir.equals(data)) {
                    try {
                        Files.deleteIfExists(dir);
                    } catch (DirectoryNotEmptyException raced) {
                        throw new IOException("a process still writes into " + dir, raced);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void write(Path file, String content, ServerAccount account) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        account.own(file);
    }
}
