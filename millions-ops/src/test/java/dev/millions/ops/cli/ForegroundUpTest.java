package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.ops.node.OsProcess;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;

/** {@code millions up} in the foreground, as a person runs it: ready, then Ctrl-C (SIGINT). */
class ForegroundUpTest {

    @TempDir
    Path folder;

    @Test
    void ctrlC_stopsEveryNodeInReverseOrder_andLeavesNoProcessBehind() throws Exception {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path topology = Files.writeString(folder.resolve("t.yaml"), """
                name: foreground
                nodes:
                  db: {role: postgres}
                  web-1: {role: web, database: db, jvm-options: [-Xmx256m]}
                """);
        Path runFolder = folder.resolve("run");
        Process up = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                                        "-Dmillions.home=" + System.getProperty("millions.home"),
                                        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                                        "up", topology.toString(), "--run-dir", runFolder.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("is up in")) {
                lines.add(line);
            }
            List<NodeState> running = RunState.read(runFolder.resolve("state.json")).orElseThrow().nodes();

            new ProcessBuilder("kill", "-s", "INT", Long.toString(up.pid())).start().waitFor();

            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(String.join("\n", lines)).containsSubsequence("web-1    web       stopped",
                                                                     "db       postgres  stopped");
            for (NodeState node : running) {
                assertThat(new OsProcess(node.pid(), node.processStart()).isAlive()).as(node.name()).isFalse();
            }
            assertThat(RunState.read(runFolder.resolve("state.json")).orElseThrow().nodes())
                    .extracting(NodeState::status).containsOnly(NodeStatus.STOPPED);
        } finally {
            up.destroyForcibly();
        }
    }
}
