package dev.millions.ops.cli;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.millions.common.process.LogTail;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;
import dev.millions.ops.topology.Topology;

/**
 * {@code up -d}: starts a supervisor in a session of its own, shows its progress from
 * {@code state.json}, and returns once every node is ready (or one failed).
 */
final class Detached {

    private static final long START_TIMEOUT_MILLIS = 300_000;

    private Detached() {}

    static int start(String topologyArgument, boolean withPrometheus, Topology topology, RunFolder runFolder,
                     boolean fresh, Installation installation, ConsoleProgress progress) {
        Process supervisor;
        Path console = runFolder.root().resolve("supervisor.out");
        try {
            Files.createDirectories(runFolder.root());
            supervisor = new ProcessBuilder(command(topologyArgument, withPrometheus, runFolder, fresh, installation))
                    .redirectErrorStream(true).redirectOutput(Redirect.to(console.toFile()))
                    .redirectInput(Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            progress.error("cannot start the supervisor: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        Map<String, NodeState> shown = new HashMap<>();
        long deadline = System.nanoTime() + START_TIMEOUT_MILLIS * 1_000_000;
        long startNanos = System.nanoTime();
        while (System.nanoTime() < deadline) {
            RunState state = currentState(runFolder, supervisor.pid());
            if (state != null) {
                for (NodeState node : state.nodes()) {
                    if (!Objects.equals(shown.put(node.name(), node), node)) {
                        progress.node(node);
                    }
                }
                if (ConsoleProgress.allReady(state.nodes(), topology.nodes().keySet())) {
                    progress.ready(topology.name(), runFolder, state.nodes(), (System.nanoTime() - startNanos) / 1_000_000,
                                   true);
                    return ExitCodes.OK;
                }
            }
            if (!supervisor.isAlive()) {
                boolean nodeFailed = state != null && state.nodes().stream()
                                                           .anyMatch(node -> node.status() == NodeStatus.FAILED);
                if (!nodeFailed) {
                    progress.error("the supervisor exited with code " + supervisor.exitValue() + ":\n"
                                   + String.join("\n", LogTail.lines(console, 20)));
                }
                return ExitCodes.FAILED;
            }
            sleep(100);
        }
        progress.error("not ready within " + START_TIMEOUT_MILLIS / 1000 + " s; it goes on in the background: "
                       + "see `millions status` and " + runFolder.supervisorLog());
        return ExitCodes.FAILED;
    }

    private static RunState currentState(RunFolder runFolder, long supervisorPid) {
        // An earlier run's state stays until the new supervisor writes its own.
        return RunState.read(runFolder.stateFile()).filter(state -> state.supervisorPid() == supervisorPid)
                       .orElse(null);
    }

    private static List<String> command(String topologyArgument, boolean withPrometheus, RunFolder runFolder,
                                        boolean fresh, Installation installation) {
        List<String> command = new ArrayList<>(List.of("setsid", installation.java().toString()));
        command.addAll(installation.jvmOptions());
        command.addAll(List.of("-Dmillions.home=" + installation.home(), "-cp", System.getProperty("java.class.path"),
                               Main.class.getName(), "supervise", topologyArgument, "--run-dir",
                               runFolder.root().toString()));
        if (fresh) {
            command.add("--fresh");
        }
        if (withPrometheus) {
            command.add("--with-prometheus");
        }
        return command;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
