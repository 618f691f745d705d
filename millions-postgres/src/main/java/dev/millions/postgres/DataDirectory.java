package dev.millions.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Finds where a data directory really lives and whether it needs {@code initdb}, refusing folders that
 * belong to someone else or hold something other than a PostgreSQL cluster.
 */
final class DataDirectory {

    /** Where data goes when the server's account cannot reach the folder the user asked for. */
    private static final Path RELOCATION_ROOT = Path.of("/var/lib/millions/postgres");

    private final Path requested;
    private final Path real;
    private final boolean needsInit;

    private DataDirectory(Path requested, Path real, boolean needsInit) {
        this.requested = requested;
        this.real = real;
        this.needsInit = needsInit;
    }

    static DataDirectory prepare(Path requested, ServerAccount account, String majorVersion) {
        try {
            Path real = locate(requested, account);
            if (!Files.exists(real) || isEmptyDirectory(real)) {
                account.ownDirectory(real);
                Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwx------"));
                return new DataDirectory(requested, real, true);
            }
            if (!Files.isDirectory(real)) {
                throw new PostgresException("data directory " + requested + " is a file, not a folder");
            }
            if (!Files.exists(real.resolve("PG_VERSION"))) {
                throw new PostgresException("data directory " + requested + " is not empty and holds no "
                                            + "PostgreSQL cluster (no PG_VERSION): give a new or empty folder");
            }
            if (!account.owns(real)) {
                throw new PostgresException("data directory " + requested + " is owned by '" + account.ownerOf(real)
                                            + "', but PostgreSQL runs as " + account
                                            + ": it will not touch another account's data");
            }
            String found = Files.readString(real.resolve("PG_VERSION"), StandardCharsets.US_ASCII).strip();
            if (!found.equals(majorVersion)) {
                throw new PostgresException("data directory " + requested + " was made by PostgreSQL " + found
                                            + ", these binaries are PostgreSQL " + majorVersion);
            }
            return new DataDirectory(requested, real, false);
        } catch (IOException e) {
            throw new PostgresException("cannot prepare data directory " + requested + ": " + e, e);
        }
    }

    /** The folder the server uses, which is {@link #requested()} or where a link from it points. */
    Path real() {
        return real;
    }

    Path requested() {
        return requested;
    }

    boolean needsInit() {
        return needsInit;
    }

    private static Path locate(Path requested, ServerAccount account) throws IOException {
        if (Files.isSymbolicLink(requested)) {
            return requested.toRealPath();
        }
        if (account.canReach(requested)) {
            return requested;
        }
        Files.createDirectories(RELOCATION_ROOT);
        Path relocated = RELOCATION_ROOT.resolve(requested.getFileName() + "-" + shortHash(requested.toString()));
        Files.createDirectories(requested.getParent());
        if (Files.exists(requested)) {
            if (!isEmptyDirectory(requested)) {
                throw new PostgresException("data directory " + requested + " cannot be reached by " + account
                                            + " (a folder above it is private) and is not empty");
            }
            Files.delete(requested);
        }
        Files.createSymbolicLink(requested, relocated);
        return relocated;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
