package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.millions.common.process.LogTail;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Show one node's log (or the supervisor's: `logs supervisor`).")
final class LogsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NODE")
    String node;

    @Option(names = { "-n", "--lines" }, defaultValue = "200",
            description = "How many of the last lines (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = { "-f", "--follow" }, description = "Keep printing what the node writes, until Ctrl-C.")
    boolean follow;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        RunFolder runFolder = runFolderOption.runFolder(Installation.detect());
        List<String> known = knownNodes(runFolder);
        if (!known.contains(node)) {
            spec.commandLine().getErr().println("error: no node '" + node + "' in " + runFolder.root() + " (nodes: "
                                                + String.join(", ", known) + ')');
            return ExitCodes.USAGE;
        }
        Path log = runFolder.logFile(node);
        if (lines < 1) {
            spec.commandLine().getErr().println("error: --lines: " + lines + " (expected: >= 1)");
            return ExitCodes.USAGE;
        }
        LogTail.lines(log, lines).forEach(out::println);
        out.flush();
        if (follow) {
            follow(log, out);
        }
        return ExitCodes.OK;
    }

    private static List<String> knownNodes(RunFolder runFolder) {
        List<String> nodes = new ArrayList<>();
        RunState.read(runFolder.stateFile()).ifPresent(state -> state.nodes().stream().map(NodeState::name)
                                                                     .forEach(nodes::add));
        nodes.add("supervisor");
        return nodes;
    }

    private static void follow(Path log, PrintWriter out) throws IOException {
        long position = Files.exists(log) ? Files.size(log) : 0;
        while (!Thread.currentThread().isInterrupted()) {
            if (Files.exists(log) && Files.size(log) > position) {
                try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                    file.seek(position);
                    byte[] bytes = new byte[(int) Math.min(file.length() - position, 1 << 20)];
                    file.readFully(bytes);
                    position += bytes.length;
                    out.print(new String(bytes, StandardCharsets.UTF_8));
                    out.flush();
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
