package dev.millions.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.postgres.ClusterListener.Failover;

/** One three-node cluster for the class; each test leaves it with three healthy nodes. */
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresClusterFailoverTest {

    @TempDir
    static Path runFolder;

    static PostgresCluster cluster;
    static final List<Failover> failovers = new CopyOnWriteArrayList<>();
    static final List<String> nodeEvents = new CopyOnWriteArrayList<>();
    static final java.util.Map<Long, List<ProcessHandle>> pausedBackends = new ConcurrentHashMap<>();

    @BeforeAll
    static void startCluster() throws Exception {
        Files.setPosixFilePermissions(runFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
        PostgresClusterBuilder builder = PostgresCluster.builder().listener(new ClusterListener() {
            @Override
            public void failedOver(Failover failover) {
                failovers.add(failover);
            }

            @Override
            public void nodeEvent(String node, String message) {
                nodeEvents.add(node + ": " + message);
            }
        });
        for (String name : List.of("db-1", "db-2", "db-3")) {
            builder.node(name, runFolder.resolve("data/" + name), runFolder.resolve("logs/" + name + ".log"), 0, true);
        }
        cluster = builder.build();
        cluster.start();
        try (Connection connection = connectPrimary(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE writes (id bigint PRIMARY KEY)");
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    @Order(1)
    void start_replicatesToEveryNode_withQuorumCommit() throws Exception {
        assertThat(cluster.topology().primary()).isEqualTo("db-1");
        try (Connection connection = connectPrimary(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO writes VALUES (-1)");
            try (ResultSet rule = statement.executeQuery("SHOW synchronous_standby_names")) {
                rule.next();
                assertThat(rule.getString(1)).isEqualTo("ANY 1 (\"db-1\", \"db-2\", \"db-3\")");
            }
        }
        awaitTopology(topology -> topology.replicas().size() == 2, "two replicas");
        for (String replica : List.of("db-2", "db-3")) {
            awaitRow(replica, -1);
        }
    }

    @Test
    @Order(2)
    void primaryPausedShorterThanTheWindow_isNotReplaced() throws Exception {
        long epoch = cluster.topology().epoch();
        long pid = cluster.node(cluster.topology().primary()).pid();
        pause(pid);
        try {
            // The fault itself: a freeze of half the 500 ms detection window.
            Thread.sleep(250);
        } finally {
            resume(pid);
        }
        // Not a sleep: the manager's own rounds, enough of them to have acted had it taken the pause for a death.
        LaunchedPostgresCluster launched = (LaunchedPostgresCluster) cluster;
        long resumedAtRound = launched.managerRounds();
        awaitCondition(() -> launched.managerRounds() >= resumedAtRound + 10, "ten failover manager rounds");
        assertThat(cluster.topology().epoch()).isEqualTo(epoch);
        assertThat(cluster.node("db-1").pid()).isEqualTo(pid);
    }

    @Test
    @Order(3)
    void primaryKilledUnderWriteLoad_failsOver_andLosesNoAcknowledgedWrite() throws Exception {
        String oldPrimary = cluster.topology().primary();
        int failoversBefore = failovers.size();
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong nextId = new AtomicLong();
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstAckAfterKill = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            done.add(writers.submit(() -> writeUntilStopped(running, nextId, acknowledged, killedAt, firstAckAfterKill)));
        }
        awaitCondition(() -> acknowledged.size() >= 20, "20 acknowledged writes before the kill");
        long pid = cluster.node(oldPrimary).pid();
        killedAt.set(System.nanoTime());
        signal("KILL", pid);
        awaitTopology(topology -> !topology.primary().equals(oldPrimary), "a new primary");
        int beforeRecovery = acknowledged.size();
        awaitCondition(() -> acknowledged.size() >= beforeRecovery + 20, "20 writes acknowledged by the new primary");
        running.set(false);
        for (Future<?> writer : done) {
            writer.get(30, TimeUnit.SECONDS);
        }
        writers.shutdown();

        assertThat(firstAckAfterKill.get()).isNotEqualTo(Long.MAX_VALUE);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(40);
        Set<Long> present = idsOn(cluster.topology().primary());
        Set<Long> lost = new HashSet<>(acknowledged);
        lost.removeAll(present);
        assertThat(lost).as("acknowledged writes missing on the new primary").isEmpty();
        awaitCondition(() -> failovers.size() > failoversBefore, "the failover reported to the listener");
        assertThat(failovers).last().satisfies(failover -> {
            assertThat(failover.from()).isEqualTo(oldPrimary);
            assertThat(failover.reason()).isEqualTo("process exited");
        });
    }

    @Test
    @Order(4)
    void oldPrimary_rejoinsAsReplica_withTheNewPrimarysData() throws Exception {
        awaitTopology(topology -> topology.replicas().size() == 2, "the old primary back as a replica");
        String primary = cluster.topology().primary();
        try (Connection connection = connectPrimary(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO writes VALUES (-2)");
        }
        for (String node : cluster.nodeNames()) {
            if (!node.equals(primary)) {
                awaitRow(node, -2);
            }
        }
    }

    @Test
    @Order(5)
    void primaryPausedPastTheWindow_isReplaced_andAcknowledgesNothingWhenResumed() throws Exception {
        String oldPrimary = cluster.topology().primary();
        PostgresServer old = cluster.node(oldPrimary);
        long epoch = cluster.topology().epoch();
        int failoversBefore = failovers.size();
        try (Connection connection = ReadinessProbe.connect(old.jdbcUrl(), old.username(), old.password())) {
            long pid = old.pid();
            pause(pid);
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> write;
            try {
                write = writer.submit(() -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("INSERT INTO writes VALUES (-3)");
                    }
                    return null;
                });
                awaitTopology(topology -> topology.epoch() > epoch, "a failover");
            } finally {
                resume(pid);
            }
            assertThatThrownBy(() -> write.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
            writer.shutdown();
        }
        assertThat(ReadinessProbe.connects(old.jdbcUrl(), old.username(), old.password()))
                .as("the fenced primary takes no connection").isFalse();
        assertThat(idsOn(cluster.topology().primary())).doesNotContain(-3L);
        // The new epoch is published when the replica is promoted; the listener hears of the failover once
        // the other replicas follow it.
        awaitCondition(() -> failovers.size() > failoversBefore, "the failover reported to the listener");
        assertThat(failovers).last().satisfies(failover -> assertThat(failover.reason()).startsWith("no answer for"));
        awaitTopology(topology -> topology.replicas().size() == 2, "the paused primary back as a replica");
    }

    @Test
    @Order(6)
    void replicaKilled_readsGoOnOnTheOther_andItIsReplaced() throws Exception {
        ClusterTopology before = cluster.topology();
        String victim = before.replicas().getFirst().name();
        String other = before.replicas().getLast().name();
        // Both replicas serve first: one may have just been re-cloned by the test before.
        awaitRow(other, -1);
        awaitRow(victim, -1);
        long pid = cluster.node(victim).pid();
        signal("KILL", pid);
        for (int i = 0; i < 20; i++) {
            assertThat(idsOn(other)).contains(-1L);
            Thread.sleep(50);
        }
        awaitTopology(topology -> topology.replicas().size() == 2 && cluster.node(victim).pid() != pid,
                      "the replica replaced");
        assertThat(nodeEvents).anyMatch(event -> event.startsWith(victim + ": re-cloning from " + before.primary()
                                                                 + ": dead for"));
        assertThat(cluster.topology().epoch()).isEqualTo(before.epoch());
        awaitRow(victim, -2);
    }

    @Test
    @Order(7)
    void switchover_movesThePrimary_andKeepsEveryWrite() throws Exception {
        String oldPrimary = cluster.topology().primary();
        try (Connection connection = connectPrimary(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO writes VALUES (-4)");
        }
        int failoversBefore = failovers.size();
        ClusterTopology after = cluster.switchover();
        assertThat(after.primary()).isNotEqualTo(oldPrimary);
        assertThat(idsOn(after.primary())).contains(-4L);
        awaitCondition(() -> failovers.size() > failoversBefore, "the switchover reported to the listener");
        assertThat(failovers).last().satisfies(failover -> assertThat(failover.reason()).isEqualTo("switchover"));
        awaitTopology(topology -> topology.replicas().size() == 2, "the old primary back as a replica");
        awaitRow(oldPrimary, -4);
    }

    @Test
    @Order(8)
    void asyncReplicaAddedAtRunTime_streams_staysOutOfTheQuorum_andIsNeverPromoted() throws Exception {
        cluster.addReplica("db-4", runFolder.resolve("data/db-4"), runFolder.resolve("logs/db-4.log"), 0, false);
        assertThat(quorumRule()).isEqualTo("ANY 1 (\"db-1\", \"db-2\", \"db-3\")");
        try (Connection connection = connectPrimary(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO writes VALUES (-5)");
        }
        awaitRow("db-4", -5);

        String oldPrimary = cluster.topology().primary();
        signal("KILL", cluster.node(oldPrimary).pid());
        awaitTopology(topology -> !topology.primary().equals(oldPrimary), "a new primary");
        assertThat(cluster.topology().primary()).isNotEqualTo("db-4");
        awaitTopology(topology -> topology.replicas().size() == 3, "three replicas again");
        awaitRow("db-4", -5);
    }

    @Test
    @Order(9)
    void replicasRemovedAtRunTime_leaveTheQuorum_andAreForgotten() throws Exception {
        cluster.addReplica("db-5", runFolder.resolve("data/db-5"), null, 0, true);
        assertThat(quorumRule()).isEqualTo("ANY 1 (\"db-1\", \"db-2\", \"db-3\", \"db-5\")");
        assertThat(Files.readString(runFolder.resolve("data/cluster.state"))).contains("added.db-4", "added.db-5");

        cluster.removeReplica("db-5");
        cluster.removeReplica("db-4");

        assertThat(quorumRule()).isEqualTo("ANY 1 (\"db-1\", \"db-2\", \"db-3\")");
        assertThat(cluster.nodeNames()).containsExactly("db-1", "db-2", "db-3");
        assertThat(Files.readString(runFolder.resolve("data/cluster.state"))).doesNotContain("added.");
        try (Connection connection = connectPrimary(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO writes VALUES (-6)");
        }
        assertThatThrownBy(() -> cluster.removeReplica(cluster.topology().primary()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is the primary");
    }

    private static String quorumRule() throws SQLException {
        try (Connection connection = connectPrimary(); Statement statement = connection.createStatement();
             ResultSet rule = statement.executeQuery("SHOW synchronous_standby_names")) {
            rule.next();
            return rule.getString(1);
        }
    }

    private static void writeUntilStopped(AtomicBoolean running, AtomicLong nextId, Set<Long> acknowledged,
                                          AtomicLong killedAt, AtomicLong firstAckAfterKill) {
        Connection connection = null;
        while (running.get()) {
            long id = nextId.incrementAndGet();
            long started = System.nanoTime();
            try {
                if (connection == null) {
                    connection = connectPrimary();
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO writes VALUES (?)")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                }
                acknowledged.add(id);
                if (started > killedAt.get()) {
                    firstAckAfterKill.compareAndSet(Long.MAX_VALUE, System.nanoTime());
                }
            } catch (SQLException e) {
                closeQuietly(connection);
                connection = null;
                sleepQuietly(20);
            }
        }
        closeQuietly(connection);
    }

    private static Connection connectPrimary() throws SQLException {
        PostgresServer primary = cluster.node(cluster.topology().primary());
        return ReadinessProbe.connect(primary.jdbcUrl(), primary.username(), primary.password());
    }

    private static Set<Long> idsOn(String node) throws SQLException {
        PostgresServer server = cluster.node(node);
        Set<Long> ids = new HashSet<>();
        try (Connection connection = ReadinessProbe.connect(server.jdbcUrl(), server.username(), server.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM writes")) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    private static void awaitRow(String node, long id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (idsOn(node).contains(id)) {
                    return;
                }
            } catch (SQLException e) {
                // Not up yet.
            }
            Thread.sleep(50);
        }
        throw new AssertionError("row " + id + " never reached " + node + ": " + cluster.topology());
    }

    private static void awaitCondition(BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no " + what + " within 40 s: " + cluster.topology());
    }

    private static void awaitTopology(Predicate<ClusterTopology> condition, String what) throws InterruptedException {
        awaitCondition(() -> condition.test(cluster.topology()), what);
    }

    /**
     * SIGSTOP to the postmaster and every backend, as a frozen host would be; each backend is a process
     * group of its own, so a signal to the postmaster's group would miss them.
     */
    private static void pause(long pid) throws Exception {
        List<ProcessHandle> tree = ProcessHandle.of(pid).orElseThrow().descendants().toList();
        signal("STOP", pid);
        for (ProcessHandle backend : tree) {
            signal("STOP", backend.pid());
        }
        pausedBackends.put(pid, tree);
    }

    private static void resume(long pid) throws Exception {
        signal("CONT", pid);
        for (ProcessHandle backend : pausedBackends.getOrDefault(pid, List.of())) {
            signal("CONT", backend.pid());
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        assertThat(pid).isNotZero();
        new ProcessBuilder("kill", "-s", signal, "--", Long.toString(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Already broken.
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
