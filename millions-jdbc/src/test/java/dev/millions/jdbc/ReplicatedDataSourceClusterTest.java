package dev.millions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.jdbc.ReplicatedDataSource.Role;
import dev.millions.postgres.PostgresCluster;
import dev.millions.postgres.PostgresClusterBuilder;
import dev.millions.postgres.PostgresServer;

/** A real three-node cluster with its failover manager, and the data source an app would use. */
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicatedDataSourceClusterTest {

    @TempDir
    static Path runFolder;

    static PostgresCluster cluster;
    static ReplicatedDataSource db;

    @BeforeAll
    static void start() throws Exception {
        Files.setPosixFilePermissions(runFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
        PostgresClusterBuilder builder = PostgresCluster.builder();
        for (String name : List.of("db-1", "db-2", "db-3")) {
            builder.node(name, runFolder.resolve("data/" + name), null, 0, true);
        }
        cluster = builder.build();
        cluster.start();
        PostgresServer first = cluster.node("db-1");
        db = ReplicatedDataSource.builder()
                                 .nodes(cluster.nodeNames().stream().map(name -> address(cluster.node(name))).toList())
                                 .credentials(first.username(), first.password())
                                 .maxLagBytes(64 * 1024)
                                 .build();
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE items (id bigint PRIMARY KEY, body text)");
        }
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    @Order(1)
    void writesGoToThePrimary_readsToAReplica() throws Exception {
        awaitRoles(1, 2);
        try (Connection write = db.getConnection(); Connection read = db.readConnection(0)) {
            assertThat(inRecovery(write)).isFalse();
            assertThat(inRecovery(read)).isTrue();
        }
    }

    @Test
    @Order(2)
    void readYourWrites_holdsUnderLoad() throws Exception {
        AtomicInteger stale = new AtomicInteger();
        AtomicInteger onReplica = new AtomicInteger();
        AtomicLong ids = new AtomicLong(1_000);
        Thread[] clients = new Thread[4];
        for (int c = 0; c < clients.length; c++) {
            clients[c] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 150; i++) {
                    long id = ids.incrementAndGet();
                    try {
                        long position;
                        try (Connection write = db.getConnection();
                             PreparedStatement insert = write.prepareStatement("INSERT INTO items VALUES (?, 'x')")) {
                            insert.setLong(1, id);
                            insert.executeUpdate();
                            position = ReplicatedDataSource.writePosition(write);
                        }
                        try (Connection read = db.readConnection(position);
                             PreparedStatement select = read.prepareStatement("SELECT 1 FROM items WHERE id = ?")) {
                            select.setLong(1, id);
                            try (ResultSet row = select.executeQuery()) {
                                if (!row.next()) {
                                    stale.incrementAndGet();
                                }
                            }
                            if (inRecovery(read)) {
                                onReplica.incrementAndGet();
                            }
                        }
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                }
            });
        }
        for (Thread client : clients) {
            client.join();
        }
        assertThat(stale.get()).as("reads that missed the client's own write").isZero();
        assertThat(onReplica.get()).as("reads served by a replica").isPositive();
    }

    @Test
    @Order(3)
    void replicaLaggingPastTheBound_isLeftOut() throws Exception {
        List<String> replicas = cluster.topology().replicas().stream().map(member -> member.name()).toList();
        for (String replica : replicas) {
            execute(replica, "SELECT pg_wal_replay_pause()");
        }
        try {
            try (Connection write = db.getConnection(); Statement statement = write.createStatement()) {
                statement.execute("INSERT INTO items SELECT g, repeat('y', 1000) FROM generate_series(1, 500) g");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (db.nodes().stream().anyMatch(node -> node.role() == Role.REPLICA && node.lagBytes() <= 64 * 1024)
                   && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(db.nodes()).filteredOn(node -> node.role() == Role.REPLICA)
                                  .allSatisfy(node -> assertThat(node.lagBytes()).isGreaterThan(64 * 1024));
            try (Connection read = db.readConnection(0)) {
                assertThat(inRecovery(read)).as("a read with every replica too far behind").isFalse();
            }
        } finally {
            for (String replica : replicas) {
                execute(replica, "SELECT pg_wal_replay_resume()");
            }
        }
    }

    @Test
    @Order(4)
    void primaryKilled_writersFollowTheNewPrimary_andLoseNothing() throws Exception {
        String oldPrimary = cluster.topology().primary();
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong ids = new AtomicLong(100_000);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger readErrors = new AtomicInteger();
        Thread writer = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                long id = ids.incrementAndGet();
                try (Connection write = db.getConnection();
                     PreparedStatement insert = write.prepareStatement("INSERT INTO items VALUES (?, 'z')")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                    acknowledged.add(id);
                } catch (SQLException e) {
                    // Unknown or failed: not acknowledged.
                }
            }
        });
        Thread reader = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                try (Connection read = db.readConnection(0); Statement statement = read.createStatement()) {
                    statement.executeQuery("SELECT count(*) FROM items").close();
                } catch (SQLException e) {
                    readErrors.incrementAndGet();
                }
            }
        });
        long loadDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (acknowledged.size() < 50 && System.nanoTime() < loadDeadline) {
            Thread.sleep(5);
        }
        int before = acknowledged.size();
        new ProcessBuilder("kill", "-9", Long.toString(cluster.node(oldPrimary).pid())).start().waitFor();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(cluster.topology().epoch() > 0 && acknowledged.size() > before + 50) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        running.set(false);
        writer.join();
        reader.join();
        assertThat(cluster.topology().primary()).isNotEqualTo(oldPrimary);
        assertThat(acknowledged.size()).as("writes acknowledged after the failover").isGreaterThan(before + 50);
        Set<Long> present = new HashSet<>();
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM items WHERE id > 100000")) {
            while (rows.next()) {
                present.add(rows.getLong(1));
            }
        }
        assertThat(acknowledged).allMatch(present::contains);
    }

    @Test
    @Order(5)
    void replicaKilled_readsKeepSucceeding() throws Exception {
        awaitRoles(1, 2);
        String victim = cluster.topology().replicas().getFirst().name();
        new ProcessBuilder("kill", "-9", Long.toString(cluster.node(victim).pid())).start().waitFor();
        int errors = 0;
        for (int i = 0; i < 200; i++) {
            try (Connection read = db.readConnection(0); Statement statement = read.createStatement()) {
                statement.executeQuery("SELECT count(*) FROM items").close();
            } catch (SQLException e) {
                errors++;
            }
            Thread.sleep(5);
        }
        assertThat(errors).isZero();
    }

    private static void awaitRoles(int primaries, int replicas) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<ReplicatedDataSource.NodeStatus> nodes = db.nodes();
            // A replica counts once it is within the lag bound, as reads only go to such a one.
            if (nodes.stream().filter(node -> node.role() == Role.PRIMARY).count() == primaries
                && nodes.stream().filter(node -> node.role() == Role.REPLICA && node.lagBytes() >= 0
                                                 && node.lagBytes() <= 64 * 1024).count() == replicas) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("roles never settled: " + db.nodes());
    }

    private static boolean inRecovery(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private static void execute(String node, String sql) throws SQLException {
        PostgresServer server = cluster.node(node);
        try (Connection connection = java.sql.DriverManager.getConnection(server.jdbcUrl(), server.username(),
                                                                           server.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String address(PostgresServer server) {
        String url = server.jdbcUrl();
        return url.substring("jdbc:postgresql://".length(), url.lastIndexOf('/'));
    }
}
