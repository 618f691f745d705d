package dev.millions.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.sun.security.auth.module.UnixSystem;

/**
 * The operating-system account that PostgreSQL runs under.
 *
 * <p>{@code initdb} and {@code postgres} refuse to run as root. When this process is root, the server
 * runs as an unprivileged system account (created when missing) through {@code setpriv}, and the
 * folders it needs are handed to that account. Otherwise it runs as the current user.
 */
final class ServerAccount {

    static final String SYSTEM_ACCOUNT = "millions";

    private final String name;
    private final long uid;
    private final long gid;
    private final boolean switched;

    private ServerAccount(String name, long uid, long gid, boolean switched) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.switched = switched;
    }

    static ServerAccount forServer() {
        UnixSystem self = new UnixSystem();
        if (self.getUid() != 0) {
            return new ServerAccount(self.getUsername(), self.getUid(), self.getGid(), false);
        }
        ensureSystemAccount();
        long uid = Long.parseLong(run(List.of("id", "-u", SYSTEM_ACCOUNT)).strip());
        long gid = Long.parseLong(run(List.of("id", "-g", SYSTEM_ACCOUNT)).strip());
        return new ServerAccount(SYSTEM_ACCOUNT, uid, gid, true);
    }

    String name() {
        return name;
    }

    /** The command line that runs {@code command} as this account, in a session of its own. */
    List<String> command(List<String> command) {
        List<String> full = new ArrayList<>();
        // A session of its own keeps a terminal's Ctrl-C away from the server: the supervisor
        // stops its nodes in order instead.
        full.add("setsid");
        if (switched) {
            full.addAll(List.of("setpriv", "--reuid", Long.toString(uid), "--regid", Long.toString(gid),
                                "--init-groups", "--"));
        }
        full.addAll(command);
        return full;
    }

    /** Creates {@code dir} when missing and gives it to this account. */
    void ownDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        own(dir);
    }

    /** Gives an existing file or folder to this account. */
    void own(Path path) throws IOException {
        if (switched) {
            UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
            Files.setOwner(path, owner);
        }
    }

    boolean owns(Path path) throws IOException {
        Object owner = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        return ((Number) owner).longValue() == uid;
    }

    String ownerOf(Path path) throws IOException {
        return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
    }

    /**
     * Whether this account can walk down to {@code path}: every existing ancestor must let it search
     * (execute permission for it as owner, group member or other).
     */
    boolean canReach(Path path) throws IOException {
        if (!switched) {
            return true;
        }
        for (Path dir = path.toAbsolutePath().normalize().getParent(); dir != null; dir = dir.getParent()) {
            if (!Files.exists(dir)) {
                continue;
            }
            PosixFileAttributes attributes = Files.readAttributes(dir.toRealPath(), PosixFileAttributes.class);
            Set<PosixFilePermission> permissions = attributes.permissions();
            long dirUid = ((Number) Files.getAttribute(dir.toRealPath(), "unix:uid")).longValue();
            long dirGid = ((Number) Files.getAttribute(dir.toRealPath(), "unix:gid")).longValue();
            boolean searchable = dirUid == uid ? permissions.contains(PosixFilePermission.OWNER_EXECUTE)
                                 : dirGid == gid ? permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                                 : permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
            if (!searchable) {
                return false;
            }
        }
        return true;
    }

    private static void ensureSystemAccount() {
        if (exitCode(List.of("id", "-u", SYSTEM_ACCOUNT)) == 0) {
            return;
        }
        List<String> useradd = List.of("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                                       "--shell", "/usr/sbin/nologin", "--comment", "millions PostgreSQL",
                                       SYSTEM_ACCOUNT);
        int exit = exitCode(useradd);
        // 9: another process created it at the same moment.
        if (exit != 0 && exit != 9) {
            throw new PostgresException("PostgreSQL refuses to run as root and the account '" + SYSTEM_ACCOUNT
                                        + "' could not be created (useradd exit code " + exit + ')');
        }
    }

    private static int exitCode(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                                                         .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                                         .start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new PostgresException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresException("interrupted while running " + command, e);
        }
    }

    static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new PostgresException(String.join(" ", command) + " failed: "
                                            + new String(output, StandardCharsets.UTF_8).strip());
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PostgresException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresException("interrupted while running " + command, e);
        }
    }

    @Override
    public String toString() {
        return name + " (uid " + uid + ')';
    }
}
