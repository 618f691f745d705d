package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.millions.common.process.LogTail;
import dev.millions.ops.logs.LogEntry;
import dev.millions.ops.logs.MergedLogs;
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
        description = { "Show one node's log (or the supervisor's: `logs supervisor`), or with --all every node's "
                        + "log merged by time, each line after its time and node.",
                        "--since, --grep and --request pick lines, from one node (its members and access log too) "
                        + "or from all." })
final class LogsCommand implements Callable<Integer> {

    private static final int DEFAULT_LINES = 200;
    private static final Duration FOLLOW_EVERY = Duration.ofMillis(200);

    @Parameters(index = "0", paramLabel = "NODE", arity = "0..1", description = "A node's name, or `supervisor`.")
    String node;

    @Option(names = "--all", description = "Every node's log, and the supervisor's, merged by time.")
    boolean all;

    @Option(names = { "-n", "--lines" }, paramLabel = "N",
            description = "How many of the last lines (default: " + DEFAULT_LINES + ", or all with --since).")
    Integer lines;

    @Option(names = "--since", paramLabel = "TIME", converter = TimeConverter.class,
            description = "Only lines of the last TIME (30s, 5m, 90m).")
    Duration since;

    @Option(names = "--grep", paramLabel = "TEXT", description = "Only lines that contain TEXT.")
    String grep;

    @Option(names = "--request", paramLabel = "ID",
            description = "Only the lines of one request: its request id or trace id, on every node it reached.")
    String request;

    @Option(names = { "-f", "--follow" }, description = "Keep printing what the nodes write, until Ctrl-C.")
    boolean follow;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunFolder runFolder = runFolderOption.runFolder(Installation.detect());
        if (all == (node != null)) {
            err.println("error: name a NODE, or give --all");
            return ExitCodes.USAGE;
        }
        if (lines != null && lines < 1) {
            err.println("error: --lines: " + lines + " (expected: >= 1)");
            return ExitCodes.USAGE;
        }
        List<String> known = knownNodes(runFolder);
        if (node != null && !known.contains(node)) {
            err.println("error: no node '" + node + "' in " + runFolder.root() + " (nodes: " + String.join(", ", known) + ')');
            return ExitCodes.USAGE;
        }
        if (request != null && request.isBlank()) {
            err.println("error: --request: empty (expected: a request id or trace id)");
            return ExitCodes.USAGE;
        }
        Predicate<LogEntry> keep = filter();
        // PostgreSQL's node has two files (its output, then its jsonlog): those are merged like many nodes'.
        boolean oneFile = node != null && !Files.isReadable(runFolder.logFile(node).resolveSibling(node + ".json"));
        if (!all && since == null && grep == null && request == null && oneFile) {
            return oneLog(runFolder.logFile(node), out);
        }
        try (MergedLogs logs = MergedLogs.of(runFolder.logFile("supervisor").getParent(),
                                             all ? name -> true : MergedLogs.ofNode(node))) {
            int shown = lines != null ? lines : since != null ? Integer.MAX_VALUE : DEFAULT_LINES;
            Deque<LogEntry> last = new ArrayDeque<>();
            logs.history(keep, entry -> {
                if (last.size() == shown) {
                    last.removeFirst();
                }
                last.addLast(entry);
            });
            Consumer<LogEntry> print = entry -> out.printf("%s %-10s %s%n", entry.time().truncatedTo(ChronoUnit.MILLIS),
                                                           entry.node(), entry.line());
            last.forEach(print);
            out.flush();
            if (follow) {
                logs.follow(keep, print.andThen(entry -> out.flush()), FOLLOW_EVERY);
            }
        }
        return ExitCodes.OK;
    }

    private Predicate<LogEntry> filter() {
        Predicate<LogEntry> keep = entry -> true;
        if (since != null) {
            Instant from = clock.instant().minus(since);
            keep = keep.and(entry -> !entry.time().isBefore(from));
        }
        if (grep != null) {
            keep = keep.and(entry -> entry.line().contains(grep));
        }
        if (request != null) {
            keep = keep.and(entry -> entry.line().contains(request));
        }
        return keep;
    }

    private int oneLog(Path log, PrintWriter out) throws IOException {
        LogTail.lines(log, lines != null ? lines : DEFAULT_LINES).forEach(out::println);
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
