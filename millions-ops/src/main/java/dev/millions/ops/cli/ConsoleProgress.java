package dev.millions.ops.cli;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;

import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;

/** The lines a person watches while a system starts and stops. */
final class ConsoleProgress {

    private final PrintWriter out;

    ConsoleProgress(PrintWriter out) {
        this.out = out;
    }

    void node(NodeState node) {
        StringBuilder line = new StringBuilder(String.format("  %-8s %-9s %-9s", node.name(), node.role(),
                                                             node.status().id()));
        switch (node.status()) {
            case READY -> line.append(node.url() != null ? node.url() : node.address())
                              .append(node.pid() > 0 ? "  pid " + node.pid() : "")
                              .append(node.detail() == null ? "" : "  (" + node.detail() + ')');
            case FAILED, EXITED -> line.append(firstLine(node.detail()))
                                       .append(node.log() == null ? "" : "\n           log: " + node.log())
                                       .append(indentedRest(node.detail()));
            case STOPPED -> line.append(node.detail() == null ? "" : node.detail());
            default -> { }
        }
        out.println(line.toString().stripTrailing());
        out.flush();
    }

    void ready(String topology, RunFolder runFolder, List<NodeState> nodes, long elapsedMillis, boolean detached) {
        out.printf("%n%s is up in %.1f s (run folder %s)%n", topology, elapsedMillis / 1000.0, runFolder.root());
        for (NodeState node : nodes) {
            // A Redis member or a database has an address, not a URL a person opens.
            String where = node.url() != null ? node.url() : node.address();
            out.printf("  %-8s %s%n", node.name(), where == null ? "-" : where);
        }
        String web = Entry.of(nodes).map(NodeState::url).orElse(null);
        if (web != null) {
            out.printf("%nOpen %s in a browser, or try the API:%n", web);
            out.printf("  curl -s -X POST %sapi/users -H 'Content-Type: application/json' \\%n", web);
            out.printf("       -d '{\"username\":\"alice\",\"password\":\"correct-horse\",\"displayName\":\"Alice\"}'%n");
        }
        out.println();
        out.println("Watch it live: `./millions dashboard` prints the dashboard's address (with its token).");
        out.println(detached ? "It runs in the background: `./millions status`, `./millions logs NODE`, `./millions down`."
                             : "Ctrl-C stops everything. (`./millions up -d` runs it in the background.)");
        out.flush();
    }

    void error(String message) {
        out.println("error: " + message);
        out.flush();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String indentedRest(String text) {
        if (text == null || text.indexOf('\n') < 0) {
            return "";
        }
        return "\n" + text.substring(text.indexOf('\n') + 1).lines().map(line -> "           | " + line)
                          .reduce((a, b) -> a + '\n' + b).orElse("");
    }

    /** Every node of the topology is there and ready, and so is every member a cluster added. */
    static boolean allReady(List<NodeState> nodes, Collection<String> topologyNodes) {
        return nodes.stream().map(NodeState::name).toList().containsAll(topologyNodes)
               && nodes.stream().allMatch(node -> node.status() == NodeStatus.READY);
    }
}
