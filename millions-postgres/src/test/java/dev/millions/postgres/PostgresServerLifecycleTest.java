package dev.millions.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.security.auth.module.UnixSystem;

class PostgresServerLifecycleTest {

    @TempDir
    static Path runFolder;

    static PostgresServer server;

    @BeforeAll
    static void startServer() throws Exception {
        Files.setPosixFilePermissions(runFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
        server = PostgresServer.builder().dataDirectory(runFolder.resolve("data/db")).port(0).build();
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Test
    void start_acceptsScramLoginToTheApplicationDatabase() throws SQLException {
        assertThat(server.isReady()).isTrue();
        assertThat(server.jdbcUrl()).matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/millions");
        try (Connection connection = ReadinessProbe.connect(server.jdbcUrl(), server.username(), server.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW server_version")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).startsWith("17.");
        }
    }

    @Test
    void start_withWrongPassword_refusesLogin() {
        assertThat(ReadinessProbe.connects(server.jdbcUrl(), server.username(), "not-the-password")).isFalse();
    }

    @Test
    void server_runsAsUnprivilegedAccount_whenLaunchedByRoot() throws Exception {
        String user = ServerAccount.run(java.util.List.of("ps", "-o", "user=", "-p", Long.toString(server.pid()))).strip();
        if (new UnixSystem().getUid() == 0) {
            assertThat(user).isEqualTo(ServerAccount.SYSTEM_ACCOUNT);
        } else {
            assertThat(user).isEqualTo(new UnixSystem().getUsername());
        }
    }

    @Test
    void restart_keepsCommittedData_andThePassword() throws SQLException {
        try (Connection connection = ReadinessProbe.connect(server.jdbcUrl(), server.username(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS kept (v text)");
            statement.execute("INSERT INTO kept VALUES ('before restart')");
        }
        long firstPid = server.pid();
        server.stop();
        assertThat(server.isReady()).isFalse();
        assertThat(server.pid()).isEqualTo(-1);

        server.start();

        assertThat(server.pid()).isNotEqualTo(firstPid);
        try (Connection connection = ReadinessProbe.connect(server.jdbcUrl(), server.username(), server.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM kept WHERE v = 'before restart'")) {
            rows.next();
            assertThat(rows.getInt(1)).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void passwordFile_isPrivateToItsOwner() throws Exception {
        Path passwordFile = runFolder.resolve("data/db.password");
        assertThat(Files.getPosixFilePermissions(passwordFile))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                                           java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(passwordFile).strip()).isEqualTo(server.password());
    }

    @Test
    void logFile_liesBesideTheDataDirectory_andTheJsonLogBesideIt() throws Exception {
        assertThat(server.logFile()).isEqualTo(runFolder.resolve("data/db.log"));
        assertThat(server.logFile()).exists();
        Path json = runFolder.resolve("data/db.json");
        assertThat(Files.readAllLines(json)).as("jsonlog, through the link into the data directory")
                                            .anyMatch(line -> line.startsWith("{\"timestamp\":\"")
                                                              && line.contains("\"error_severity\":\"LOG\"")
                                                              && line.contains("ready to accept connections"));
    }
}
