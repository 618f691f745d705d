package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
 * restart and its users stay logged in, a planned switchover moves the primary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedStageEndToEndTest {

    @TempDir
    static Path folder;

    static Path runFolder;
    static Path topologyFile;
    static ApiClient alice;

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
        Thread.sleep(1_500);

        MillionsCommand.Result status = millions("status");
        assertThat(status.output()).containsPattern("db-1 .*; primary")
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

    private static String clusterPrimary() {
        try {
            String json = Files.readString(runFolder.resolve("db-1-cluster.json"));
            return new ObjectMapper().readTree(json).path("primary").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String lbUrl() {
        return RunState.read(runFolder.resolve("state.json")).orElseThrow().node("lb").orElseThrow().url();
    }

    private static MillionsCommand.Result millions(String... args) {
        return new MillionsCommand(runFolder).run(args);
    }
}
