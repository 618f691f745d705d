package dev.millions.postgres;

import java.nio.file.Path;

import com.sun.security.auth.module.UnixSystem;

/** Where downloaded-once artifacts are unpacked: shared by every run folder of a machine. */
final class CacheDirectory {

    private CacheDirectory() {}

    static Path defaultFor(String application) {
        String configured = System.getenv("MILLIONS_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        if (new UnixSystem().getUid() == 0) {
            // Root's home is private (0700): an unprivileged server account could not reach it.
            return Path.of("/var/cache", application);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve(application);
    }
}
