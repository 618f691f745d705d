package dev.millions.ops.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.ops.node.Installation;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.Roles;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.Topology;

class SupervisorFailureTest {

    @TempDir
    Path folder;

    @BeforeEach
    void letTheDatabaseAccountIn() throws IOException {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void webPortTaken_failsWithTheReason_andStopsTheDatabaseItStarted() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Topology topology = topology("""
                    name: clash
                    nodes:
                      db: {role: postgres}
                      web-1: {role: web, database: db, port: %d}
                    """.formatted(taken.getLocalPort()));
            List<NodeState> seen = new ArrayList<>();
            Supervisor supervisor = new Supervisor(topology, new RunFolder(folder.resolve("run")),
                                                   Installation.detect(), seen::add);

            assertThatThrownBy(() -> supervisor.start(false))
                    .isInstanceOf(NodeStartException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");

            NodeState db = seen.stream().filter(node -> node.name().equals("db")
                                                        && node.status() == NodeStatus.READY).findFirst().orElseThrow();
            assertThat(new OsProcess(db.pid(), db.processStart()).isAlive()).isFalse();
            assertThat(seen).extracting(node -> node.name() + ' ' + node.status().id())
                            .containsExactly("db starting", "db ready", "web-1 starting", "web-1 failed",
                                             "db stopping", "db stopped");
        }
    }

    @Test
    void missingAppJar_failsWithWhereItWasLookedFor() throws IOException {
        Topology topology = topology("""
                name: nojar
                nodes:
                  db: {role: postgres}
                  web-1: {role: web, database: db}
                """);
        Installation noJar = new Installation(folder, folder.resolve("nowhere/millions-app.jar"),
                                              Installation.detect().java(), List.of());
        Supervisor supervisor = new Supervisor(topology, new RunFolder(folder.resolve("run")), noJar, node -> {});

        assertThatThrownBy(() -> supervisor.start(false))
                .isInstanceOf(NodeStartException.class)
                .hasMessageContaining("the web app's jar is missing at " + folder.resolve("nowhere/millions-app.jar"));
    }

    @Test
    void secondSupervisorOnOneRunFolder_isRefused() throws IOException {
        Topology topology = topology("""
                name: db-only
                nodes:
                  db: {role: postgres}
                """);
        RunFolder runFolder = new RunFolder(folder.resolve("run"));
        try (Supervisor first = new Supervisor(topology, runFolder, Installation.detect(), node -> {})) {
            first.start(false);
            Supervisor second = new Supervisor(topology, runFolder, Installation.detect(), node -> {});

            assertThatThrownBy(() -> second.start(false)).hasMessageContaining("a system already runs from "
                                                                               + runFolder.root());
            assertThat(first.nodes()).extracting(NodeState::status).containsExactly(NodeStatus.READY);
        }
    }

    private static Topology topology(String yaml) throws IOException {
        return Roles.topologies().parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }
}
