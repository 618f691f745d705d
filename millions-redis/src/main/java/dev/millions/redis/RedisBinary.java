package dev.millions.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

import com.sun.security.auth.module.UnixSystem;

/**
 * Finds the {@code redis-server} to run: the Linux x86-64 binary shipped in the Maven Central artifact
 * {@code com.github.codemonstur:embedded-redis} (unpacked once into a cache folder), or the system's.
 */
public final class RedisBinary {

    private static final String EMBEDDED = "redis-server-6.2.6-v5-linux-amd64";

    private RedisBinary() {}

    /** The embedded binary, unpacked into {@code MILLIONS_CACHE} or a per-user cache folder on first use. */
    public static Path embedded() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new RedisException("no embedded redis-server for " + os + '/' + arch
                                     + ": install Redis and use the system's (source: system)");
        }
        Path target = cacheDirectory().resolve("redis-6.2").resolve("redis-server");
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = RedisBinary.class.getResourceAsStream('/' + EMBEDDED)) {
            if (in == null) {
                throw new RedisException(EMBEDDED + " is not on the class path (the embedded-redis artifact is missing)");
            }
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), "redis-server", ".part");
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new RedisException("cannot unpack redis-server into " + target + ": " + e, e);
        }
    }

    /** The system's {@code redis-server} (Debian: {@code apt-get install redis-server}). */
    public static Path system() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new RedisException("no redis-server on the PATH: `apt-get install redis-server`, or use the "
                                 + "embedded one (source: embedded)");
    }

    private static Path cacheDirectory() {
        String configured = System.getenv("MILLIONS_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        if (new UnixSystem().getUid() == 0) {
            return Path.of("/var/cache/millions");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("millions");
    }
}
