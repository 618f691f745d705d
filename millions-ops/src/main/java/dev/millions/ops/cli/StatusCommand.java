package dev.millions.ops.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.millions.ops.node.Installation;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.ControlClient;
import dev.millions.ops.supervisor.NodeHealth;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each node: role, pid, address and health, probed now; under it, what the supervisor's "
                      + "scrapes saw over the last 5 s (requests a second, p99, errors, CPU, memory).")
final class StatusCommand implements Callable<Integer> {

    private static final Pattern REPLICATION_ROLE =
            Pattern.compile("(primary|replica|down|rebuilding|master|broker)\\b");

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RunFolder runFolder = runFolderOption.runFolder(Installation.detect());
        RunState state = RunState.read(runFolder.stateFile()).orElse(null);
        if (state == null) {
            out.println("nothing has run from " + runFolder.root() + " yet; start it with `./millions up`");
            return ExitCodes.NOT_RUNNING;
        }
        boolean supervised = new OsProcess(state.supervisorPid(), state.supervisorStart()).isAlive();
        out.printf("%s from %s, supervisor %s%n%n", state.topology(), runFolder.root(),
                   supervised ? "pid " + state.supervisorPid() : "not running");
        out.printf("%-10s %-9s %-9s %-8s %-22s %s%n", "NODE", "ROLE", "STATUS", "PID", "ADDRESS", "HEALTH");
        boolean anyRunning = false;
        Map<String, JsonNode> observed = supervised ? observed(runFolder) : Map.of();
        for (NodeState node : state.nodes()) {
            // An external database, or a whole Redis Cluster, has no process of ours: only its health says
            // whether it serves.
            boolean external = node.pid() <= 0 && (node.url() != null || node.address() != null);
            boolean alive = OsProcess.of(node.pid(), node.processStart()).map(OsProcess::isAlive).orElse(false);
            anyRunning |= alive;
            String probed = alive || external && supervised ? NodeHealth.probe(node, runFolder) : "down";
            // A probe may add lines of detail (a worker's partitions): they go under the node's row.
            int firstBreak = probed.indexOf('\n');
            String health = firstBreak < 0 ? probed : probed.substring(0, firstBreak);
            String detailLines = firstBreak < 0 ? "" : probed.substring(firstBreak + 1);
            if (supervised && node.detail() != null && REPLICATION_ROLE.matcher(node.detail()).lookingAt()) {
                // The failover manager's word on a replicated database's member (its role and lag), or the
                // Redis Cluster's or the Kafka cluster's on one of its members.
                health += "; " + node.detail();
            }
            if (node.status() != NodeStatus.READY && node.detail() != null) {
                health += "; " + node.detail();
            }
            if (node.restarts() > 0 || node.lastExit() != null) {
                health += "; restarts " + node.restarts() + ", last exit: " + node.lastExit();
            }
            out.printf("%-10s %-9s %-9s %-8s %-22s %s%n", node.name(), node.role(), node.status().id(),
                       alive ? Long.toString(node.pid()) : external ? cluster(node) ? "cluster" : "external" : "-",
                       node.address() == null ? "-" : node.address(), health);
            detailLines.lines().forEach(line -> out.printf("%-10s %s%n", "", line));
            Optional.ofNullable(observed.get(node.name())).map(StatusCommand::figures).filter(line -> !line.isEmpty())
                    .ifPresent(line -> out.printf("%-10s %s%n", "", line));
        }
        out.flush();
        return anyRunning ? ExitCodes.OK : ExitCodes.NOT_RUNNING;
    }

    /** What the supervisor's scrapes saw of each node (the dashboard's state), or nothing when it cannot say. */
    private static Map<String, JsonNode> observed(RunFolder runFolder) {
        Map<String, JsonNode> byName = new HashMap<>();
        try {
            new ControlClient(runFolder).observed().path("nodes").forEach(node -> byName.put(node.path("name").asText(), node));
        } catch (IllegalStateException e) {
            // A supervisor that is starting, or stopping, has no figures yet: the table stands without.
        }
        return byName;
    }

    /** {@code 12.3 req/s, p99 4.1 ms, 0.5 err/s, CPU 14 %, RSS 311 MB}: over the last 5 s, as far as known. */
    private static String figures(JsonNode node) {
        List<String> figures = new ArrayList<>();
        if (node.path("rps").isNumber()) {
            // A worker handles messages, a broker takes them in; the rest answer requests.
            String unit = Set.of("worker", "kafka").contains(node.path("role").asText()) ? "msg/s" : "req/s";
            figures.add(String.format("%.1f %s", node.path("rps").asDouble(), unit));
        }
        if (node.path("p99ms").isNumber()) {
            figures.add(String.format("p99 %.1f ms", node.path("p99ms").asDouble()));
        }
        if (node.path("errors").asDouble() > 0) {
            figures.add(String.format("%.1f err/s", node.path("errors").asDouble()));
        }
        if (node.path("cpu").isNumber()) {
            figures.add(String.format("CPU %.0f %%", node.path("cpu").asDouble()));
        }
        if (node.path("rssMb").isNumber()) {
            figures.add(String.format("RSS %.0f MB", node.path("rssMb").asDouble()));
        }
        return String.join(", ", figures);
    }

    /** A node that stands for several processes of its own (a Redis Cluster) lists all their addresses. */
    private static boolean cluster(NodeState node) {
        return node.address() != null && node.address().contains(",");
    }
}
