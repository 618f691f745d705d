package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.millions.app.testing.ApiClient;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.ControlClient;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.RunState;

/**
 * The chapter's first stage, end to end, through the same commands a person types: {@code up -d},
 * {@code status}, {@code logs}, {@code down}, and {@code up} again on the same run folder. The preset
 * is {@code single}, with the web node on a free port so the test never clashes with a running system.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SingleStageEndToEndTest {

    @TempDir
    static Path folder;

    static Path runFolder;
    static Path topologyFile;
    static byte[] photo;
    static ApiClient bobBeforeRestart;

    @BeforeAll
    static void writeTopology() throws IOException {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        runFolder = folder.resolve("run");
        try (InputStream preset = SingleStageEndToEndTest.class.getResourceAsStream("/presets/single.yaml")) {
            String single = new String(preset.readAllBytes(), StandardCharsets.UTF_8);
            topologyFile = folder.resolve("single.yaml");
            Files.writeString(topologyFile, single.replace("port: 8080", "port: auto"));
        }
        photo = ApiClient.png(64, 48);
    }

    @AfterAll
    static void stopWhateverRuns() {
        millions("down");
    }

    @Test
    @Order(1)
    void up_startsDatabaseThenWeb_andPrintsTheUrls() {
        MillionsCommand.Result up = millions("up", topologyFile.toString(), "-d");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("db       postgres  ready").contains("web-1    web       ready")
                               .contains("is up in").contains("curl -s -X POST http://127.0.0.1:");
    }

    @Test
    @Order(2)
    void browserFlow_signUpLogInUploadFollowAndReadTheFeed() {
        ApiClient alice = new ApiClient(webUrl());
        ApiClient bob = new ApiClient(webUrl());

        assertThat(alice.postJson("/api/users", """
                {"username":"alice","password":"correct-horse","displayName":"Alice"}""").status()).isEqualTo(201);
        assertThat(bob.postJson("/api/users", """
                {"username":"bob","password":"battery-staple","displayName":"Bob"}""").status()).isEqualTo(201);
        assertThat(alice.postJson("/api/session", """
                {"username":"alice","password":"correct-horse"}""").status()).isEqualTo(200);
        assertThat(bob.postJson("/api/session", """
                {"username":"bob","password":"battery-staple"}""").status()).isEqualTo(200);

        ApiClient.Response posted = alice.postPhoto("first light", photo, "photo.png");
        assertThat(posted.status()).as(posted.body()).isEqualTo(201);
        assertThat(bob.put("/api/users/alice/follow").status()).isEqualTo(204);

        JsonNode feed = bob.get("/api/feed").json();
        assertThat(feed.path("items")).hasSize(1);
        assertThat(feed.path("items").get(0).path("caption").asText()).isEqualTo("first light");
        assertThat(bob.getBytes(feed.path("items").get(0).path("imageUrl").asText())).isEqualTo(photo);
        bobBeforeRestart = bob;
    }

    @Test
    @Order(3)
    void status_showsEveryNodeReadyWithItsPid() {
        MillionsCommand.Result status = millions("status");

        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).containsPattern("db\\s+postgres\\s+ready\\s+\\d+\\s+127\\.0\\.0\\.1:\\d+\\s+ready")
                                   .containsPattern("web-1\\s+web\\s+ready\\s+\\d+\\s+127\\.0\\.0\\.1:\\d+\\s+ready");
    }

    @Test
    @Order(3)
    void theWebNodeAndTheSupervisor_runWithTheMachinesJvmOptions() throws IOException {
        String options = System.getenv("MILLIONS_JVM_OPTIONS");
        assumeTrue(options != null && !options.isBlank(), "MILLIONS_JVM_OPTIONS is not set (./millions test sets it)");
        RunState running = state();
        long web = running.nodes().stream().filter(node -> node.name().equals("web-1")).findFirst().orElseThrow().pid();

        assertThat(commandLine(web)).contains(options.trim().split("\\s+"));
        assertThat(commandLine(running.supervisorPid())).contains(options.trim().split("\\s+"));
    }

    @Test
    @Order(4)
    void logs_showsOneNodesLog_andRefusesAnUnknownNode() {
        assertThat(millions("logs", "web-1", "-n", "50").output()).contains("Started MillionsApplication");
        MillionsCommand.Result unknown = millions("logs", "web-9");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.output()).contains("no node 'web-9'").contains("db, web-1, supervisor");
    }

    @Test
    @Order(5)
    void down_stopsEveryProcess_thePostgresRunAsAnotherAccountIncluded() {
        List<NodeState> nodes = state().nodes();
        RunState before = state();

        MillionsCommand.Result down = millions("down");

        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(new OsProcess(before.supervisorPid(), before.supervisorStart()).isAlive()).isFalse();
        for (NodeState node : nodes) {
            assertThat(new OsProcess(node.pid(), node.processStart()).isAlive()).as(node.name()).isFalse();
        }
        assertThat(millions("status").exitCode()).isEqualTo(ExitCodes.NOT_RUNNING);
    }

    @Test
    @Order(6)
    void upAgain_findsUsersPostsMediaAndSessionsStillThere() {
        MillionsCommand.Result up = millions("up", topologyFile.toString(), "-d");
        assertThat(up.exitCode()).as(up.output()).isZero();

        // Bob's session lives in the database, so his cookie from before the restart still works.
        ApiClient bob = bobBeforeRestart.at(webUrl());
        JsonNode feed = bob.get("/api/feed").json();
        assertThat(feed.path("items")).hasSize(1);
        assertThat(bob.getBytes(feed.path("items").get(0).path("imageUrl").asText())).isEqualTo(photo);

        ApiClient alice = new ApiClient(webUrl());
        assertThat(alice.postJson("/api/session", """
                {"username":"alice","password":"correct-horse"}""").status()).isEqualTo(200);
        assertThat(alice.get("/api/users/alice/posts").json().path("items")).hasSize(1);
    }

    @Test
    @Order(7)
    void upWhileRunning_isRefused_andChangesNothing() {
        long supervisor = state().supervisorPid();

        MillionsCommand.Result second = millions("up", topologyFile.toString(), "-d");

        assertThat(second.exitCode()).isNotZero();
        assertThat(second.output()).contains("a system already runs from");
        assertThat(state().supervisorPid()).isEqualTo(supervisor);
        assertThat(millions("status").exitCode()).isZero();
    }

    @Test
    @Order(8)
    void bench_withTheWebNodeKilledAndRestarted_countsTheOutageAsErrors_andLosesNoAcknowledgedWrite() throws IOException {
        MillionsCommand.Result bench = millions("bench", "--rate", "40", "--duration", "14s", "--warmup", "2s", "--users", "8",
                                "--fault", "kill:web-1@3s", "--fault", "restart:web-1@5s");

        assertThat(bench.exitCode()).as(bench.output()).isZero();
        assertThat(bench.output()).containsPattern("history: all [0-9]+ acknowledged writes present")
                                  .contains("SIGKILL to web-1").contains("web-1 restarted, ready in")
                                  .contains("connect refused").containsPattern("outage: seconds [0-9]+ to [0-9]+");
        Path report = Path.of(bench.output().replaceAll("(?s).*report: (\\S+).*", "$1"));
        assertThat(report).exists();
        assertThat(report.resolveSibling("series.csv")).exists();
        assertThat(Files.readString(report)).contains("<svg").contains("kill web-1").contains("restart web-1");
    }

    @Test
    @Order(9)
    void chaos_refusesAnUnknownNode_namingTheNodesThereAre() {
        MillionsCommand.Result chaos = millions("chaos", "kill", "web-9");

        assertThat(chaos.exitCode()).isEqualTo(2);
        assertThat(chaos.output()).contains("no node or role 'web-9' in single")
                                  .contains("web-1 (web)").contains("db (postgres)");
        assertThat(state().node("web-1").orElseThrow().status().id()).isEqualTo("ready");
    }

    @Test
    @Order(10)
    void databaseDown_answers503WithRetryAfter_whileTheWebNodeStaysAlive() {
        NodeState db = state().node("db").orElseThrow();
        // Held down: otherwise the supervisor starts a database that exited again within seconds.
        new ControlClient(new RunFolder(runFolder)).hold("db");
        new OsProcess(db.pid(), db.processStart()).terminate("INT", 30_000);
        ApiClient anyone = new ApiClient(webUrl());

        ApiClient.Response profile = anyone.get("/api/users/alice");

        assertThat(profile.status()).isEqualTo(503);
        assertThat(profile.detail()).isEqualTo("database unavailable; retry shortly");
        assertThat(profile.headers().firstValue("Retry-After")).contains("1");
        assertThat(anyone.get("/health/readiness").status()).isEqualTo(503);
        assertThat(anyone.get("/health/liveness").status()).isEqualTo(200);
    }

    private static String webUrl() {
        return state().node("web-1").orElseThrow().url();
    }

    private static List<String> commandLine(long pid) throws IOException {
        return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
    }

    private static RunState state() {
        return RunState.read(runFolder.resolve("state.json")).orElseThrow();
    }

    private static MillionsCommand.Result millions(String... args) {
        return new MillionsCommand(runFolder).run(args);
    }
}
