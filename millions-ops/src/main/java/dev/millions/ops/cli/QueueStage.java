package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

import dev.millions.ops.supervisor.NodeState;

/**
 * The running queue stage as the queue drill and bench need it: the entry point, the kafka node, the
 * replicated database's cluster file, and how many workers run.
 */
record QueueStage(RunningSystem system, NodeState kafka, Path clusterFile, int workers) {

    /** The running queue stage, or empty after telling {@code err} how to start one; {@code what} names the caller. */
    static Optional<QueueStage> find(RunFolderOption option, PrintWriter err, String what) throws IOException {
        Optional<RunningSystem> system = RunningSystem.find(option, err, "./millions up queue -d");
        if (system.isEmpty()) {
            return Optional.empty();
        }
        Optional<NodeState> kafka = system.get().state().nodes().stream().filter(node -> node.role().equals("kafka"))
                                          .findFirst();
        int workers = (int) system.get().state().nodes().stream().filter(node -> node.role().equals("worker")).count();
        Optional<Path> clusterFile = DbFailoverDrill.clusterFile(system.get().runFolder());
        if (kafka.isEmpty() || workers == 0 || clusterFile.isEmpty()) {
            err.println("error: the " + what + " needs a kafka node, a worker and a replicated database; start the "
                        + "queue stage with `./millions up queue -d`");
            return Optional.empty();
        }
        return Optional.of(new QueueStage(system.get(), kafka.get(), clusterFile.get(), workers));
    }

    /** A prefix for the usernames of one run, unique enough across runs on one system. */
    static String usernamePrefix(char kind, long startMillis) {
        return kind + Long.toString(startMillis % 1_000_000_000L, 36) + '_';
    }
}
