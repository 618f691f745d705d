package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.bench.fault.FaultAction;
import dev.millions.bench.fault.FaultException;
import dev.millions.bench.history.CheckReport;
import dev.millions.bench.history.Event;
import dev.millions.bench.history.History;
import dev.millions.bench.history.HistoryChecker;
import dev.millions.bench.history.Lookup;
import dev.millions.bench.history.WriteKey;
import dev.millions.bench.history.WriteStatus;
import dev.millions.jdbc.ReplicatedDataSource;
import dev.millions.ops.chaos.NodeFaults;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.RunState;
import dev.millions.postgres.PostgresServerBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "db-failover", mixinStandardHelpOptions = true,
        description = { "Kill the database primary with SIGKILL under write and read load, once per run, and "
                        + "measure the time from the kill to the first acknowledged write on the new primary; "
                        + "then check that every acknowledged write is on the new primary. Each run waits "
                        + "until the old primary is back as a replica. Needs a running replicated database "
                        + "(./millions up replicated -d)." },
        footer = { "", "Ends with: failover: median X ms, max Y ms, lost 0 of N acknowledged writes" })
final class DbFailoverDrill implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(30);
    /** Load before the kill, and on the new primary after it: counts, so a slow machine runs longer. */
    private static final long WRITES_BEFORE_KILL = 100;
    private static final long WRITES_AFTER_FAILOVER = 50;

    @Option(names = "--runs", defaultValue = "20", description = "Kills, one per run (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--writers", defaultValue = "4", description = "Writing clients (default: ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--readers", defaultValue = "2", description = "Reading clients (default: ${DEFAULT-VALUE}).")
    int readers;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (runs < 1 || runs > 1000 || writers < 1 || writers > 64 || readers < 0 || readers > 64) {
            err.println("error: --runs " + runs + ", --writers " + writers + ", --readers " + readers
                        + " (expected: 1..1000, 1..64, 0..64)");
            return ExitCodes.USAGE;
        }
        RunFolder runFolder = runFolderOption.runFolder(Installation.detect());
        Optional<Path> clusterFile = clusterFile(runFolder);
        if (clusterFile.isEmpty()) {
            err.println("error: no replicated database runs from " + runFolder.root()
                        + "; start one with `./millions up replicated -d`");
            return ExitCodes.NOT_RUNNING;
        }
        List<Long> times = new ArrayList<>();
        long acknowledgedTotal = 0;
        long lostTotal = 0;
        int members = JSON.readTree(clusterFile.get().toFile()).path("members").size();
        try (ReplicatedDataSource db = database(runFolder, clusterFile.get(), writers + readers, RECOVERY_TIMEOUT)) {
            createTable(db);
            for (int run = 1; run <= runs; run++) {
                String primary = awaitSettled(runFolder, clusterFile.get(), members);
                RunResult result = runOnce(db, runFolder, primary, port(clusterFile.get(), primary), run);
                String newPrimary = JSON.readTree(clusterFile.get().toFile()).path("primary").asText();
                out.printf("run %d/%d: SIGKILL to %s, %s took over; first acknowledged write after %s; "
                           + "%d writes acknowledged, %d lost; reads %d ok, %d failed%n", run, runs, primary,
                           newPrimary, result.failoverMillis < 0 ? "none" : result.failoverMillis + " ms",
                           result.acknowledged, result.lost, result.readsOk, result.readsFailed);
                out.flush();
                if (result.failoverMillis >= 0) {
                    times.add(result.failoverMillis);
                }
                acknowledgedTotal += result.acknowledged;
                lostTotal += result.lost;
            }
        } catch (DrillException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        times.sort(null);
        String median = times.isEmpty() ? "n/a" : times.get((times.size() - 1) / 2) + " ms";
        String max = times.isEmpty() ? "n/a" : times.getLast() + " ms";
        out.printf("failover: median %s, max %s, lost %d of %d acknowledged writes%n", median, max, lostTotal,
                   acknowledgedTotal);
        return lostTotal == 0 && times.size() == runs ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /**
     * @param primaryPort the old primary's port: its backends outlive a SIGKILL of the postmaster by
     *                    a few milliseconds and may still commit, so only an acknowledgement from
     *                    another server counts as the new primary's first
     */
    private RunResult runOnce(ReplicatedDataSource db, RunFolder runFolder, String primary, int primaryPort,
                              int run) throws Exception {
        History history = new History();
        AtomicLong ids = new AtomicLong((long) run << 32);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstAck = new AtomicLong(Long.MAX_VALUE);
        AtomicLong readsOk = new AtomicLong();
        AtomicLong readsFailed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String client = "drill-writer-" + i;
            clients.add(Thread.ofPlatform().name(client).start(() -> {
                while (running.get()) {
                    long id = ids.incrementAndGet();
                    long started = System.nanoTime();
                    int committedOn = write(db, id, run);
                    history.add(new Event.Write(client, new WriteKey("drill", Long.toString(id)),
                                                committedOn > 0 ? WriteStatus.ACKED : WriteStatus.FAILED, started,
                                                System.nanoTime(), committedOn > 0 ? null : "not committed"));
                    if (committedOn > 0) {
                        acknowledged.incrementAndGet();
                        if (started > killedAt.get() && committedOn != primaryPort) {
                            firstAck.compareAndSet(Long.MAX_VALUE, System.nanoTime());
                        }
                    }
                }
            }));
        }
        for (int i = 0; i < readers; i++) {
            clients.add(Thread.ofPlatform().name("drill-reader-" + i).start(() -> {
                while (running.get()) {
                    (read(db, run) ? readsOk : readsFailed).incrementAndGet();
                }
            }));
        }
        try {
            awaitCount(acknowledged, WRITES_BEFORE_KILL, RECOVERY_TIMEOUT, "acknowledged writes before the kill");
            killedAt.set(System.nanoTime());
            killPrimary(runFolder, primary);
            long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
            while (firstAck.get() == Long.MAX_VALUE && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (firstAck.get() != Long.MAX_VALUE) {
                // Writes acknowledged by the new primary, for the history check to find there.
                awaitCount(acknowledged, acknowledged.get() + WRITES_AFTER_FAILOVER, RECOVERY_TIMEOUT,
                           "acknowledged writes after the failover");
            }
        } finally {
            running.set(false);
            for (Thread client : clients) {
                client.join();
            }
        }
        CheckReport report = HistoryChecker.check(history, presentOnPrimary(db, run));
        long failoverMillis = firstAck.get() == Long.MAX_VALUE ? -1 : (firstAck.get() - killedAt.get()) / 1_000_000;
        return new RunResult(failoverMillis, report.acked(), report.lost().size() + report.unverified().size(),
                             readsOk.get(), readsFailed.get());
    }

    private static void awaitCount(AtomicLong count, long target, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new DrillException("only " + count.get() + " of " + target + ' ' + what + " within "
                                         + timeout.toSeconds() + " s");
            }
            Thread.sleep(5);
        }
    }

    private record RunResult(long failoverMillis, long acknowledged, long lost, long readsOk, long readsFailed) {}

    /** The bench's own fault: SIGKILL to the node's process, as {@code millions chaos kill} sends it. */
    private static void killPrimary(RunFolder runFolder, String primary) {
        try {
            new NodeFaults(runFolder).inject(FaultAction.KILL, primary, null);
        } catch (FaultException e) {
            throw new DrillException(e.getMessage());
        }
    }

    /**
     * Waits until the cluster has a primary and every other member is a replica again, and the
     * supervisor's state shows the primary's current process.
     */
    private static String awaitSettled(RunFolder runFolder, Path clusterFile, int members) throws Exception {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            JsonNode cluster = JSON.readTree(clusterFile.toFile());
            String primary = cluster.path("primary").asText();
            int replicas = 0;
            for (JsonNode member : cluster.path("members")) {
                replicas += "replica".equals(member.path("role").asText()) ? 1 : 0;
            }
            Optional<NodeState> state = RunState.read(runFolder.stateFile()).flatMap(s -> s.node(primary));
            if (replicas == members - 1 && state.isPresent() && "primary".equals(state.get().detail())
                && OsProcess.of(state.get().pid(), state.get().processStart()).map(OsProcess::isAlive)
                            .orElse(false)) {
                Thread.sleep(500);
                return primary;
            }
            seen = cluster.toString();
            Thread.sleep(100);
        }
        throw new DrillException("the database did not settle (a primary and every other member a replica) "
                                 + "within " + SETTLE_TIMEOUT.toSeconds() + " s; last seen: " + seen);
    }

    /** The replicated database as a client of the drill's own: writes go to the primary, wherever it is now. */
    static ReplicatedDataSource database(RunFolder runFolder, Path clusterFile, int poolSize, Duration failoverWait)
            throws IOException {
        JsonNode cluster = JSON.readTree(clusterFile.toFile());
        List<String> addresses = new ArrayList<>();
        cluster.path("members").forEach(member -> addresses.add(member.path("address").asText()));
        String firstPrimary = clusterFile.getFileName().toString().replace("-cluster.json", "");
        Path passwordFile = PostgresServerBuilder.passwordFile(runFolder.dataDirectory(firstPrimary));
        String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        return ReplicatedDataSource.builder().nodes(addresses).credentials("millions", password).poolSize(poolSize)
                                   .failoverWait(failoverWait).applicationName("millions-drill").build();
    }

    /** The cluster file of the running system's replicated database, if it has one. */
    static Optional<Path> clusterFile(RunFolder runFolder) throws IOException {
        if (RunState.read(runFolder.stateFile()).isEmpty() || !Files.isDirectory(runFolder.root())) {
            return Optional.empty();
        }
        try (var files = Files.list(runFolder.root())) {
            return files.filter(file -> file.getFileName().toString().endsWith("-cluster.json")).findFirst();
        }
    }

    private static void createTable(ReplicatedDataSource db) {
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS drill_writes (id bigint PRIMARY KEY, run int NOT NULL, "
                              + "at timestamptz NOT NULL DEFAULT now())");
            statement.execute("CREATE INDEX IF NOT EXISTS drill_writes_run ON drill_writes (run)");
        } catch (SQLException e) {
            throw new DrillException("cannot create the drill's table: " + e.getMessage());
        }
    }

    /** The port of the server that acknowledged the write, or -1 when it was not acknowledged. */
    private static int write(ReplicatedDataSource db, long id, int run) {
        try (Connection connection = db.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO drill_writes (id, run) VALUES (?, ?) RETURNING inet_server_port()")) {
            insert.setLong(1, id);
            insert.setInt(2, run);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    private static int port(Path clusterFile, String node) throws Exception {
        for (JsonNode member : JSON.readTree(clusterFile.toFile()).path("members")) {
            if (member.path("name").asText().equals(node)) {
                String address = member.path("address").asText();
                return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            }
        }
        throw new DrillException("no member " + node + " in " + clusterFile);
    }

    private static boolean read(ReplicatedDataSource db, int run) {
        try (Connection connection = db.readConnection(0);
             PreparedStatement count = connection.prepareStatement(
                     "SELECT count(*) FROM drill_writes WHERE run = ?")) {
            count.setInt(1, run);
            try (ResultSet row = count.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * What the bench's history checker asks after a run: is a write there on the new primary? The run's
     * writes are read back once; a write the checker asks for is present or absent among them.
     */
    private static Lookup presentOnPrimary(ReplicatedDataSource db, int run) {
        Set<String> present = new HashSet<>();
        try (Connection connection = db.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id FROM drill_writes WHERE run = ?")) {
            select.setInt(1, run);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    present.add(Long.toString(rows.getLong(1)));
                }
            }
        } catch (SQLException e) {
            throw new DrillException("cannot read the run's writes back from the primary: " + e.getMessage());
        }
        return key -> present.contains(key.id()) ? Lookup.Presence.PRESENT : Lookup.Presence.ABSENT;
    }

    private static final class DrillException extends RuntimeException {
        DrillException(String message) {
            super(message);
        }
    }
}
