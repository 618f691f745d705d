package dev.millions.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.security.auth.module.UnixSystem;

class PostgresServerBadSetupTest {

    @TempDir
    Path runFolder;

    @BeforeEach
    void letTheServerAccountIn() throws IOException {
        Files.setPosixFilePermissions(runFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void start_onTakenPort_saysThePortIsInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PostgresServer server = PostgresServer.builder().dataDirectory(runFolder.resolve("db"))
                                                  .port(taken.getLocalPort()).build();

            assertThatThrownBy(server::start).isInstanceOf(PostgresException.class)
                                             .hasMessageContaining("port " + taken.getLocalPort())
                                             .hasMessageContaining("already in use");
        }
    }

    @Test
    void start_onFolderWithOtherFiles_refusesIt() throws IOException {
        Path data = Files.createDirectories(runFolder.resolve("db"));
        Files.writeString(data.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> PostgresServer.builder().dataDirectory(data).build().start())
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("is not empty and holds no PostgreSQL cluster");
        assertThat(data.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void start_onDataOwnedBySomeoneElse_refusesIt() throws IOException {
        Path data = Files.createDirectories(runFolder.resolve("db"));
        Files.writeString(data.resolve("PG_VERSION"), "17\n");
        if (new UnixSystem().getUid() == 0) {
            UserPrincipal nobody = data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(data, nobody);
        }

        // As root the server runs as its own account, so a folder of nobody's is refused; as
        // another user the folder is theirs, and the check that fires is the cluster's version.
        assertThatThrownBy(() -> PostgresServer.builder().dataDirectory(data).password("password-1").build().start())
                .isInstanceOf(PostgresException.class)
                .hasMessageMatching(new UnixSystem().getUid() == 0 ? "(?s).*is owned by 'nobody'.*"
                                                                   : "(?s).*was made by PostgreSQL.*|.*missing.*");
    }

    @Test
    void start_onDataOfAnotherMajorVersion_refusesIt() throws IOException {
        Path data = runFolder.resolve("db");
        ServerAccount.forServer().ownDirectory(data);
        Files.writeString(data.resolve("PG_VERSION"), "9\n");

        assertThatThrownBy(() -> PostgresServer.builder().dataDirectory(data).password("password-1").build().start())
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("was made by PostgreSQL 9, these binaries are PostgreSQL 17");
    }

    @Test
    void start_withBinariesThatCannotRun_saysSoWithTheirOutput() throws IOException {
        Path cache = runFolder.resolve("cache");
        Path home = PostgresBinaries.home(cache, PostgresBinaries.bundledVersion());
        Path postgres = Files.createDirectories(home.resolve("bin")).resolve("postgres");
        Files.writeString(postgres, "#!/bin/sh\necho 'cannot execute binary file: Exec format error' >&2\nexit 126\n");
        Files.setPosixFilePermissions(postgres, PosixFilePermissions.fromString("rwxr-xr-x"));
        PostgresServer server = PostgresServer.builder().dataDirectory(runFolder.resolve("db")).cacheDirectory(cache)
                                              .build();

        assertThatThrownBy(server::start).isInstanceOf(PostgresException.class)
                                         .hasMessageContaining("the PostgreSQL binaries in " + home + " cannot run")
                                         .hasMessageContaining("Exec format error");
    }

    @Test
    void start_onAFullDisk_saysHowMuchIsFree() throws IOException, InterruptedException {
        assumeTrue(new UnixSystem().getUid() == 0, "mounting a small file system needs root");
        Path small = Files.createDirectories(runFolder.resolve("small"));
        assumeTrue(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16m,mode=0755", "tmpfs", small.toString())
                           .start().waitFor() == 0, "tmpfs could not be mounted here");
        try {
            PostgresServer server = PostgresServer.builder().dataDirectory(small.resolve("db")).build();

            assertThatThrownBy(server::start).isInstanceOf(PostgresException.class)
                                             .hasMessageMatching("disk full: .* has \\d+ MiB free, PostgreSQL needs "
                                                                 + "at least 64 MiB");
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }

    @Test
    void external_thatDoesNotAnswer_failsWithTheElapsedTime() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        PostgresServer external = new ExternalPostgresServer("jdbc:postgresql://127.0.0.1:" + closedPort + "/millions",
                                                             "millions", "secret", Duration.ofMillis(500));

        assertThatThrownBy(external::start).isInstanceOf(PostgresException.class)
                                           .hasMessageMatching("(?s)PostgreSQL at .* did not accept a connection "
                                                               + "within \\d+ ms \\(last error: .*");
        assertThat(external.pid()).isEqualTo(-1);
    }

    @Test
    void external_withMalformedUrl_isRejectedAtOnce() {
        assertThatThrownBy(() -> PostgresServer.external("mysql://x", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jdbcUrl: mysql://x (expected: jdbc:postgresql://host:port/database)");
    }

    @Test
    void builder_rejectsBadArguments_withTheExpectedRange() {
        assertThatThrownBy(() -> PostgresServer.builder().port(70000))
                .hasMessage("port: 70000 (expected: 0..65535)");
        assertThatThrownBy(() -> PostgresServer.builder().database("drop table"))
                .hasMessage("database: drop table (expected: a lower-case SQL identifier)");
        assertThatThrownBy(() -> PostgresServer.builder().build())
                .hasMessage("dataDirectory is required");
    }

    @Test
    void diagnose_namesTheCommonCauses() {
        assertThat(Diagnosis.of("FATAL:  could not write: No space left on device", 5432)).startsWith("disk full");
        assertThat(Diagnosis.of("LOG:  could not bind IPv4 address", 5432)).startsWith("port 5432 is already in use");
        assertThat(Diagnosis.of("all fine", 5432)).isEmpty();
    }
}
