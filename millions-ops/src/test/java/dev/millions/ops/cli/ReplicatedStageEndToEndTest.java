package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.app.testing.ApiClient;
import dev.millions.ops.supervisor.RunState;

/**
 * The chapter's stage {@code replicated}, through the commands a person types: the primary is killed
 * under load by the drill and nothing acknowledged is lost, the app follows the new primary without a
 * restart and its users stay logged in and their photos served, a planned switchover moves the primary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedStageEndToEndTest {

    @TempDir
    static Path folder;

    static Path runFolder;
    static Path topologyFile;
    static ApiClient alice;
    static byte[] photo = ApiClient.png(48, 32);
    static String photoUrl;

    @BeforeAll
    static void writeTopology() throws IOException {
        runFolder = folder.resolve("run");
        topologyFile = PresetFiles.withFreePorts(folder, "replicated");
    }

    @AfterAll
    static void stopEverything() {
        millions("down");
    }

    @Test
    @Order(1)
    void drill_withoutAReplicatedDatabase_saysHowToStartOne() {
        MillionsCommand.Result drill = new MillionsCommand(folder.resolve("empty")).run("drill", "db-failover");

        assertThat(drill.exitCode()).isEqualTo(ExitCodes.NOT_RUNNING);
        assertThat(drill.output()).contains("no replicated database runs from").contains("./millions up replicated -d");
    }

    @Test
    @Order(2)
    void up_startsAPrimaryAndTwoReplicas_andStatusShowsTheirRoles() throws Exception {
        MillionsCommand.Result up = millions("up", topologyFile.toString(), "-d");
        assertThat(up.exitCode()).as(up.output()).isZero();
        alice = new ApiClient(lbUrl());
        assertThat(alice.postJson("/api/users", """
                {"username":"alice","password":"correct-horse","displayName":"Alice"}""").status()).isEqualTo(201);
        assertThat(alice.postJson("/api/session", """
                {"username":"alice","password":"correct-horse"}""").status()).isEqualTo(200);
        ApiClient.Response posted = alice.postPhoto("before the failover", photo, "before.png");
        assertThat(posted.status()).as(posted.body()).isEqualTo(201);
        photoUrl = posted.json().path("imageUrl").asText();

        String status = Eventually.await("status with a primary and two replicas", () -> millions("status").output(),
                                         out -> out.matches("(?s).*db-2 .*; replica, lag \\d+ B.*")
                                                && out.matches("(?s).*db-3 .*; replica, lag \\d+ B.*"));
        assertThat(status).containsPattern("db-1 .*; primary")
                          .containsPattern("db-2 .*; replica, lag \\d+ B")
                          .containsPattern("db-3 .*; replica, lag \\d+ B");
    }

    @Test
    @Order(3)
    void drill_killsThePrimaryUnderLoad_losesNothing_andTheAppFollows() {
        MillionsCommand.Result drill = millions("drill", "db-failover", "--runs", "2");

        assertThat(drill.exitCode()).as(drill.output()).isZero();
        assertThat(drill.output()).containsPattern("run 1/2: SIGKILL to db-1, db-[23] took over")
                                  .containsPattern("failover: median \\d+ ms, max \\d+ ms, lost 0 of \\d+ acknowledged "
                                                   + "writes");
        assertThat(alice.get("/api/me").status()).as("still logged in").isEqualTo(200);
        assertThat(new ApiClient(lbUrl()).getBytes(photoUrl)).as("a photo stored before, in the database").isEqualTo(photo);
        assertThat(new ApiClient(lbUrl()).postJson("/api/users", """
                {"username":"bob","password":"correct-horse","displayName":"Bob"}""").status()).isEqualTo(201);
    }

    @Test
    @Order(4)
    void switchover_movesThePrimary_andWritesGoOn() {
        String before = clusterPrimary();
        MillionsCommand.Result switchover = millions("switchover");

        assertThat(switchover.exitCode()).as(switchover.output()).isZero();
        assertThat(switchover.output()).startsWith("primary " + before + " -> db-");
        assertThat(clusterPrimary()).isNotEqualTo(before);
        assertThat(new ApiClient(lbUrl()).postJson("/api/users", """
                {"username":"carol","password":"correct-horse","displayName":"Carol"}""").status()).isEqualTo(201);
    }

    @Test
    @Order(5)
    void replicaAddedAndRemoved_whileTheSystemRuns_withMetricsOnTheSupervisor() throws Exception {
        MillionsCommand.Result add = millions("replica", "add");
        assertThat(add.exitCode()).as(add.output()).isZero();
        assertThat(add.output()).startsWith("db-4 added as a synchronous replica of db-");
        Eventually.await("db-4 streaming in status", () -> millions("status").output(),
                         out -> out.matches("(?s).*db-4 .*; replica, lag \\d+ B.*"));
        assertThat(Files.readAllLines(runFolder.resolve("db-1-cluster.nodes"))).hasSize(4);
        assertThat(get(supervisorUrl() + "metrics"))
                .contains("millions_db_role{cluster=\"db-1\",node=\"db-4\",role=\"replica\"} 1")
                .containsPattern("millions_db_failovers_total\\{cluster=\"db-1\"\\} [3-9]")
                .containsPattern("millions_db_replication_lag_bytes\\{cluster=\"db-1\",node=\"db-4\"\\} \\d+");

        MillionsCommand.Result remove = millions("replica", "remove", "db-4");
        assertThat(remove.exitCode()).as(remove.output()).isZero();
        assertThat(Files.readAllLines(runFolder.resolve("db-1-cluster.nodes"))).hasSize(3);
        assertThat(millions("replica", "remove", "db-4").output()).contains("'db-4' is not a member");
    }

    @Test
    @Order(6)
    void getRequests_areServedFromReplicas_andAUserReadsTheirOwnWriteAtOnce() throws Exception {
        for (int i = 0; i < 40; i++) {
            assertThat(alice.get("/api/users/alice").status()).isEqualTo(200);
        }
        for (int i = 0; i < 5; i++) {
            ApiClient.Response posted = alice.postPhoto("read back " + i, photo, "read-back.png");
            assertThat(posted.status()).as(posted.body()).isEqualTo(201);
            long id = posted.json().path("id").asLong();
            assertThat(alice.get("/api/posts/" + id).status()).as("post %d read back at once", id).isEqualTo(200);
            assertThat(alice.get("/api/users/alice/posts").body()).as("alice's newest posts").contains("read back " + i);
        }
        long replicaReads = 0;
        for (String web : new String[] { "web-1", "web-2" }) {
            String metrics = get(RunState.read(runFolder.resolve("state.json")).orElseThrow().node(web).orElseThrow()
                                         .url() + "metrics");
            Map<String, Boolean> primary = new HashMap<>();
            Matcher role = Pattern.compile("millions_db_node_primary\\{[^}]*db_node=\"([^\"]+)\".*\\} ([01])")
                                  .matcher(metrics);
            while (role.find()) {
                primary.put(role.group(1), role.group(2).equals("1"));
            }
            Matcher reads = Pattern.compile("millions_db_node_reads_total\\{[^}]*db_node=\"([^\"]+)\".*\\} ([0-9.]+)")
                                   .matcher(metrics);
            while (reads.find()) {
                if (!primary.getOrDefault(reads.group(1), true)) {
                    replicaReads += (long) Double.parseDouble(reads.group(2));
                }
            }
        }
        assertThat(replicaReads).as("queries of GET requests served by replicas").isPositive();
    }

    private static String supervisorUrl() throws IOException {
        return RunFolders.supervisorUrl(runFolder);
    }

    private static String get(String url) throws Exception {
        return RunFolders.get(url);
    }

    private static String clusterPrimary() {
        try {
            String json = Files.readString(runFolder.resolve("db-1-cluster.json"));
            return new ObjectMapper().readTree(json).path("primary").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String lbUrl() {
        return RunFolders.url(runFolder, "lb");
    }

    private static MillionsCommand.Result millions(String... args) {
        return new MillionsCommand(runFolder).run(args);
    }
}
