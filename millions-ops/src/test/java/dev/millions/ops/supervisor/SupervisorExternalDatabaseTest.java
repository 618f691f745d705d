package dev.millions.ops.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.app.testing.ApiClient;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.Roles;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.Topology;
import dev.millions.postgres.PostgresServer;
import dev.millions.postgres.PostgresServerBuilder;

/** A topology whose database runs elsewhere: the web node uses it, the supervisor never stops it. */
class SupervisorExternalDatabaseTest {

    @TempDir
    static Path folder;

    static PostgresServer elsewhere;

    @BeforeAll
    static void startTheOtherDatabase() throws IOException {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        elsewhere = PostgresServer.builder().dataDirectory(folder.resolve("elsewhere/db")).port(0).build();
        elsewhere.start();
    }

    @AfterAll
    static void stopTheOtherDatabase() {
        elsewhere.stop();
    }

    @Test
    void webNode_usesTheExternalDatabase_andStoppingLeavesItRunning() throws IOException {
        Topology topology = topology("""
                name: external
                nodes:
                  db:
                    role: postgres
                    external:
                      url: %s
                      username: %s
                      password-file: %s
                  web-1: {role: web, database: db, jvm-options: [-Xmx256m]}
                """.formatted(elsewhere.jdbcUrl(), elsewhere.username(),
                              PostgresServerBuilder.passwordFile(folder.resolve("elsewhere/db"))));
        RunFolder runFolder = new RunFolder(folder.resolve("run"));

        try (Supervisor supervisor = new Supervisor(topology, runFolder, Installation.detect(), node -> {})) {
            supervisor.start(false);

            NodeState db = supervisor.nodes().getFirst();
            assertThat(db.pid()).isEqualTo(-1);
            assertThat(db.url()).isEqualTo(elsewhere.jdbcUrl());
            assertThat(NodeHealth.probe(db, runFolder)).isEqualTo("listening");
            ApiClient alice = new ApiClient(supervisor.nodes().get(1).url()).signUpAndLogIn("alice", "correct-horse");
            assertThat(alice.get("/api/me").status()).isEqualTo(200);
        }

        assertThat(elsewhere.isReady()).isTrue();
    }

    @Test
    void missingPasswordFile_failsTheNodeWithThePath() throws IOException {
        Topology topology = topology("""
                name: external
                nodes:
                  db:
                    role: postgres
                    external: {url: "%s", username: millions, password-file: /nonexistent/password}
                """.formatted(elsewhere.jdbcUrl()));

        Supervisor supervisor = new Supervisor(topology, new RunFolder(folder.resolve("run2")), Installation.detect(),
                                               node -> {});

        assertThatThrownBy(() -> supervisor.start(false)).isInstanceOf(NodeStartException.class)
                                                        .hasMessageContaining("/nonexistent/password");
    }

    private static Topology topology(String yaml) throws IOException {
        return Roles.topologies().parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }
}
