package dev.millions.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.security.auth.module.UnixSystem;

class PostgresServerPrivateFolderTest {

    @TempDir
    Path privateFolder;

    @Test
    void start_asRootInAFolderTheServerAccountCannotReach_keepsTheDataOutsideBehindALink() throws IOException {
        assumeTrue(new UnixSystem().getUid() == 0, "only root hands the server to another account");
        Files.setPosixFilePermissions(privateFolder, PosixFilePermissions.fromString("rwx------"));
        Path requested = privateFolder.resolve("data/db");
        PostgresServer server = PostgresServer.builder().dataDirectory(requested).port(0).build();
        Path real = null;
        try {
            server.start();
            real = requested.toRealPath();

            assertThat(server.isReady()).isTrue();
            assertThat(Files.isSymbolicLink(requested)).isTrue();
            assertThat(real).startsWith(Path.of("/var/lib/millions/postgres"));
            assertThat(real.resolve("PG_VERSION")).exists();
        } finally {
            server.stop();
            if (real != null) {
                deleteRecursively(real);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
