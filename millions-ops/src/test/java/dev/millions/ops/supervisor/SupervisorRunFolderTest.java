package dev.millions.ops.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.ops.node.Installation;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.Roles;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.Topology;
import dev.millions.postgres.PostgresServerBuilder;

/** What a run folder keeps between runs, what {@code --fresh} deletes, and what a dead supervisor left. */
class SupervisorRunFolderTest {

    @TempDir
    Path folder;

    RunFolder runFolder;
    Topology dbOnly;

    @BeforeEach
    void setUp() throws IOException {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        runFolder = new RunFolder(folder.resolve("run"));
        dbOnly = Roles.topologies().parse(new ByteArrayInputStream("""
                name: db-only
                nodes:
                  db: {role: postgres}
                """.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void secondStart_keepsTheData_andFreshStartDeletesIt() throws SQLException {
        try (Supervisor first = new Supervisor(dbOnly, runFolder, Installation.detect(), node -> {})) {
            first.start(false);
            execute(first, "CREATE TABLE kept (v text)");
        }
        try (Supervisor second = new Supervisor(dbOnly, runFolder, Installation.detect(), node -> {})) {
            second.start(false);
            execute(second, "SELECT count(*) FROM kept");
        }
        try (Supervisor fresh = new Supervisor(dbOnly, runFolder, Installation.detect(), node -> {})) {
            fresh.start(true);

            execute(fresh, "CREATE TABLE kept (v text)"); // would fail if the table had survived
        }
    }

    @Test
    void nodesLeftByADeadSupervisor_areStoppedBeforeTheNextStart() throws IOException {
        Process orphan = new ProcessBuilder("sleep", "300").start();
        OsProcess leftover = OsProcess.of(orphan.toHandle());
        Files.createDirectories(runFolder.root());
        new RunState("single", 999_999, "2001-01-01T00:00:00Z",
                     List.of(new NodeState("web-1", "web", NodeStatus.READY, leftover.pid(), leftover.start(),
                                           "127.0.0.1:1", "http://127.0.0.1:1/", null, null, 0, null)))
                .write(runFolder.stateFile());

        try (Supervisor supervisor = new Supervisor(dbOnly, runFolder, Installation.detect(), node -> {})) {
            supervisor.start(false);

            assertThat(leftover.isAlive()).isFalse();
        } finally {
            orphan.destroyForcibly();
        }
    }

    private void execute(Supervisor supervisor, String sql) throws SQLException {
        NodeState db = supervisor.nodes().getFirst();
        String password;
        try {
            password = Files.readString(PostgresServerBuilder.passwordFile(runFolder.dataDirectory("db"))).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (Connection connection = DriverManager.getConnection(db.url(), "millions", password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
