package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.app.testing.ApiClient;
import dev.millions.ops.supervisor.RunState;

/**
 * The queue stage as a person runs it: {@code up queue} starts the cdn stage with a replicated
 * database, three brokers and two workers; {@code drill queue} kills a partition leader, a worker, the
 * relay's node and the primary under write load and finds every acknowledged event's effects once, and
 * only the poison dead-lettered; the page shows thumbnails, served through the CDN.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueStageEndToEndTest {

    @TempDir
    static Path folder;

    static Path runFolder;
    static Path topologyFile;

    @BeforeAll
    static void writeTopology() throws IOException {
        runFolder = folder.resolve("run");
        topologyFile = PresetFiles.withFreePorts(folder, "queue");
    }

    @AfterAll
    static void stopEverything() {
        millions("down");
    }

    @Test
    @Order(1)
    void drill_withoutTheQueueStage_saysHowToStartIt() {
        MillionsCommand.Result drill = new MillionsCommand(folder.resolve("empty")).run("drill", "queue");

        assertThat(drill.exitCode()).isEqualTo(ExitCodes.NOT_RUNNING);
        assertThat(drill.output()).contains("./millions up queue -d");
    }

    @Test
    @Order(2)
    void up_startsBrokersAndWorkersBesideTheCdnStage() throws Exception {
        MillionsCommand.Result up = millions("up", topologyFile.toString(), "-d");

        assertThat(up.exitCode()).as(up.output()).isZero();
        Eventually.await("brokers registered and workers ready", () -> millions("status").output(),
                         out -> out.matches("(?s).*queue-3 .*broker 3, registered.*")
                                && out.matches("(?s).*worker-1 +worker +ready .*")
                                && out.matches("(?s).*worker-2 +worker +ready .*"));
    }

    @Test
    @Order(3)
    void drill_killsLeaderWorkerRelayAndPrimary_losesAndDuplicatesNothing_andDeadLettersOnlyThePoison() {
        MillionsCommand.Result drill = millions("drill", "queue", "--duration", "40s", "--rate", "10", "--users", "12",
                                                "--poison", "2");

        assertThat(drill.exitCode()).as(drill.output()).isZero();
        assertThat(drill.output()).as(drill.output())
                                  .containsPattern("SIGKILL to queue-[123] \\(leader of posts-0\\)")
                                  .containsPattern("SIGKILL to worker-[12] \\(a worker\\)")
                                  .containsPattern("SIGKILL to db-1 \\(the database primary\\)")
                                  .containsPattern("queue: lost 0 of [1-9][0-9]* acknowledged events, duplicated 0 "
                                                   + "effects, max stall [0-9]+ ms, dead-lettered 2 \\(poison 2\\)");
    }

    @Test
    @Order(4)
    void postsPhoto_isShownByItsThumbnail_servedThroughTheCdn() throws Exception {
        String cdn = state().node("cdn").orElseThrow().url();
        ApiClient zoe = new ApiClient(cdn).signUpAndLogIn("zoe", "correct-horse");
        String image = zoe.postPhoto("wide", ApiClient.png(900, 30), "w.png").json().path("imageUrl").asText()
                          .replace("/media/", "");

        assertThat(zoe.get("/").body()).contains("<meta name=\"millions-thumbnail-width\" content=\"640\">");
        Eventually.await("the thumbnail through the CDN", () -> zoe.get("/media/w640/" + image),
                         answer -> answer.status() == 200 && answer.headers().firstValue("Cache-Status").isPresent());
    }

    private static RunState state() {
        return RunState.read(runFolder.resolve("state.json")).orElseThrow();
    }

    private static MillionsCommand.Result millions(String... args) {
        return new MillionsCommand(runFolder).run(args);
    }
}
