package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.app.testing.ApiClient;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;

/**
 * The chapter's stage {@code lb}, through the commands a person types: clients reach only the load
 * balancer; a web server killed under load fails no GET; a third joins and takes traffic; scaling back
 * drains it first; a killed load balancer is started again by the supervisor.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LbStageEndToEndTest {

    @TempDir
    static Path folder;

    static Path runFolder;
    static Path topologyFile;

    @BeforeAll
    static void writeTopology() throws IOException {
        runFolder = folder.resolve("run");
        topologyFile = PresetFiles.withFreePorts(folder, "lb");
    }

    @AfterAll
    static void stopEverything() {
        millions("down");
    }

    @Test
    @Order(1)
    void up_startsTheBalancerAfterItsWebServers_andClientsUseItWithSharedSessions() {
        MillionsCommand.Result up = millions("up", topologyFile.toString(), "-d");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("lb       lb        ready").contains("Open " + lbUrl());
        ApiClient alice = new ApiClient(lbUrl());
        assertThat(alice.postJson("/api/users", """
                {"username":"alice","password":"correct-horse","displayName":"Alice"}""").status()).isEqualTo(201);
        assertThat(alice.postJson("/api/session", """
                {"username":"alice","password":"correct-horse"}""").status()).isEqualTo(200);
        // Any web server serves any request: the session lives in the shared store.
        for (int i = 0; i < 6; i++) {
            assertThat(alice.get("/api/me").status()).isEqualTo(200);
        }
    }

    @Test
    @Order(2)
    void killMinus9OfAWebServerUnderLoad_failsNoGet() throws Exception {
        try (GetLoad load = new GetLoad(URI.create(lbUrl() + "api/users/alice"))) {
            Eventually.await("100 GETs before the kill", load.ok::sum, ok -> ok >= 100);
            MillionsCommand.Result kill = millions("chaos", "kill", "web-1");
            long atKill = load.ok.sum();
            // Enough GETs after the kill that some found web-1 dead: a count, so a slow machine runs longer.
            Eventually.await("200 GETs after the kill", load.ok::sum, ok -> ok >= atKill + 200);
            load.close();

            assertThat(kill.exitCode()).as(kill.output()).isZero();
            assertThat(load.failures.sum()).as("failed GETs of %s; last: %s", load.ok.sum(), load.lastFailure.get())
                                          .isZero();
            assertThat(load.ok.sum()).isPositive();
        } finally {
            // Back to two web servers whatever happened above, so the next test starts from the preset.
            MillionsCommand.Result restart = millions("chaos", "restart", "web-1");
            assertThat(restart.exitCode()).as(restart.output()).isZero();
        }
    }

    @Test
    @Order(3)
    void drillAutoscale_addsAWebNodeUnderALoadStep_andTakesItAwayWhenTheLoadDrops_withNoRequestFailing() throws Exception {
        MillionsCommand.Result drill = millions("drill", "autoscale", "--scale-down-window", "5s", "--cooldown", "2s");

        assertThat(drill.exitCode()).as(drill.output()).isZero();
        assertThat(drill.output()).containsPattern("autoscale: scaled out to 3 in [0-9.]+ s after the step, back to 2 in "
                                                   + "[0-9.]+ s, failed 0 of [1-9][0-9]* requests");
        drill.output().lines().filter(line -> line.startsWith("autoscale: ")).forEach(System.out::println);
        assertThat(Files.readString(runFolder.resolve("logs/lb.access.log"))).contains("\"backend\":\"web-3\"");
        assertThat(state().node("web-3")).as(state().toString()).isEmpty();
        MillionsCommand.Result scale = millions("scale", "web=2");
        assertThat(scale.output()).contains("web nodes now: [web-1, web-2]");
        assertThat(millions("autoscale").output()).contains("no role is autoscaled");
    }

    @Test
    @Order(4)
    void killedLoadBalancer_isRestartedByTheSupervisor_andStatusShowsTheRestart() throws Exception {
        long killedPid = state().node("lb").orElseThrow().pid();

        MillionsCommand.Result kill = millions("chaos", "kill", "lb");
        assertThat(kill.exitCode()).as(kill.output()).isZero();

        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!(state().node("lb").orElseThrow().restarts() == 1
                 && state().node("lb").orElseThrow().status() == NodeStatus.READY)) {
            assertThat(System.nanoTime() - deadline).as("lb restarted within 2 minutes: %s", state()).isNegative();
            Thread.sleep(100);
        }
        assertThat(state().node("lb").orElseThrow().pid()).isNotEqualTo(killedPid);
        assertThat(new ApiClient(lbUrl()).get("/api/users/alice").status()).isEqualTo(200);
        MillionsCommand.Result status = millions("status");
        assertThat(status.output()).containsPattern("lb +lb +ready .*restarts 1, last exit: killed by SIGKILL");
    }

    @Test
    @Order(5)
    void killWithNoRestart_leavesTheNodeDown_untilChaosRestart() throws Exception {
        MillionsCommand.Result kill = millions("chaos", "kill", "--no-restart", "web-2");
        assertThat(kill.exitCode()).as(kill.output()).isZero();

        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (state().node("web-2").orElseThrow().status() != NodeStatus.EXITED) {
            assertThat(System.nanoTime() - deadline).as("web-2 seen exited: %s", state()).isNegative();
            Thread.sleep(100);
        }
        assertThat(state().node("web-2").orElseThrow().detail()).contains("held down");

        MillionsCommand.Result restart = millions("chaos", "restart", "web-2");
        assertThat(restart.exitCode()).as(restart.output()).isZero();
        assertThat(state().node("web-2").orElseThrow().status()).isEqualTo(NodeStatus.READY);
    }

    private static String lbUrl() {
        return state().node("lb").orElseThrow().url();
    }

    private static RunState state() {
        return RunState.read(runFolder.resolve("state.json")).orElseThrow();
    }

    private static MillionsCommand.Result millions(String... args) {
        return new MillionsCommand(runFolder).run(args);
    }

    /** Four clients sending GETs in a loop, counting failures. */
    static final class GetLoad implements AutoCloseable {
        final LongAdder ok = new LongAdder();
        final LongAdder failures = new LongAdder();
        final AtomicReference<String> lastFailure = new AtomicReference<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread[] threads = new Thread[4];

        GetLoad(URI uri) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < threads.length; i++) {
                threads[i] = Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                                                                                 .timeout(Duration.ofSeconds(10)).build(),
                                                                      HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                ok.increment();
                            } else {
                                failures.increment();
                                lastFailure.set("HTTP " + response.statusCode() + ' ' + response.body());
                            }
                        } catch (Exception e) {
                            failures.increment();
                            lastFailure.set(e.toString());
                        }
                    }
                });
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(15_000);
            }
        }
    }
}
