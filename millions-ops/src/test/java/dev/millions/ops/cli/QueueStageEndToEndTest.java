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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.app.testing.ApiClient;
import dev.millions.ops.supervisor.RunState;

/**
 * The queue stage as a person runs it: {@code up queue} starts the cdn stage with a replicated
 * database, three brokers and two workers, and {@code status} shows each broker registered and each
 * worker's lag, and every node with metrics is in the Prometheus scrape targets; a post reaches its follower's feed through the outbox and a worker, and the page shows
 * its thumbnail, served through the CDN; {@code drill queue} kills a partition leader, a worker, the
 * relay's node and the primary under write load and finds every acknowledged event's effects once, and
 * only the poison dead-lettered; the killed broker rejoins; {@code scale worker=3} and back to 2 under write load
 * rebalance the consumer group and every post reaches the follower's feed once; a request's id is found in the worker's log lines of its event, and {@code logs --all
 * --request} shows its lines from the CDN to the worker; a poison photo ends in the dead-letter topic, where {@code queue dlq} lists, shows and
 * replays it; {@code bench queue} reports its three lines; {@code bench feed} compares the pulled
 * and the fanned-out feed on two nodes it adds, which show the same feeds, and removes them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueStageEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int FEED_PAGE = 100;
    private static final Duration WRITE_EVERY = Duration.ofMillis(250);

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
        JsonNode targets = new ObjectMapper().readTree(runFolder.resolve("prometheus/targets.json").toFile());
        List<String> scraped = new ArrayList<>();
        for (JsonNode target : targets) {
            String node = target.path("labels").path("node").asText();
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(
                    "http://" + target.path("targets").get(0).asText() + target.path("labels").path("__metrics_path__").asText()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).as(node).isEqualTo(200);
            assertThat(metrics.body()).as(node).contains("# TYPE ");
            scraped.add(node);
        }
        assertThat(scraped).as("the scrape targets that up wrote for a Prometheus of one's own")
                           .containsExactlyInAnyOrder("web-1", "web-2", "lb", "cdn", "worker-1", "worker-2", "queue-1",
                                                      "queue-2", "queue-3", "trace", "supervisor");
    }

    @Test
    @Order(3)
    void postThroughTheCdn_reachesTheFollowersFeed_andIsShownByItsThumbnailThroughTheCdn() throws Exception {
        String cdn = state().node("cdn").orElseThrow().url();
        ApiClient zoe = new ApiClient(cdn).signUpAndLogIn("zoe", "correct-horse");
        ApiClient yann = new ApiClient(cdn).signUpAndLogIn("yann", "correct-horse");
        yann.put("/api/users/zoe/follow", Map.of("X-Request-Id", "yann-follows-zoe"));

        ApiClient.Response posted = zoe.postPhoto("wide", ApiClient.png(900, 30), "w.png");
        long postId = posted.json().path("id").asLong();
        String image = posted.json().path("imageUrl").asText().replace("/media/", "");

        Eventually.await("the post in yann's feed", () -> yann.get("/api/feed").json().path("items").toString(),
                         items -> items.contains("\"id\":" + postId));
        assertThat(zoe.get("/").body()).contains("<meta name=\"millions-thumbnail-width\" content=\"640\">");
        Eventually.await("the thumbnail through the CDN", () -> zoe.get("/media/w640/" + image),
                         answer -> answer.status() == 200 && answer.headers().firstValue("Cache-Status").isPresent());
        Eventually.await("the workers' progress in status", () -> millions("status").output(),
                         out -> out.matches("(?s).*worker-[12] +worker +ready .*ready, lag \\d+ over \\d+ partitions.*applied [1-9].*")
                                && out.matches("(?s).*\\n +posts-\\d: lag \\d+, [0-9.]+/s, applied [1-9]\\d*, retried \\d+, "
                                               + "dead-lettered \\d+, delay p99 \\d+ ms\\n.*"));
        Eventually.await("the follow's request id in a worker's log", this::workerLogs,
                         logs -> logs.contains("\"requestId\":\"yann-follows-zoe\""));
        MillionsCommand.Result traced = millions("logs", "--all", "--request", "yann-follows-zoe");
        assertThat(traced.exitCode()).as(traced.output()).isZero();
        assertThat(traced.output()).as("the follow's lines on the CDN, a web node and a worker")
                                   .containsPattern("Z cdn\\.access +\\{").containsPattern("Z web-[12] +\\{")
                                   .containsPattern("Z worker-[12] +\\{");
        assertThat(traced.output().lines().map(line -> Instant.parse(line.substring(0, line.indexOf(' ')))).toList())
                .as("in time order").isSorted();
        Matcher traceId = Pattern.compile("Z web-[12] +\\{.*\"traceId\":\"([0-9a-f]{32})\"").matcher(traced.output());
        assertThat(traceId.find()).as(traced.output()).isTrue();
        Eventually.await("the follow's trace from the CDN into the worker that applied its event",
                         () -> millions("trace", traceId.group(1)).output(),
                         tree -> tree.contains("[cdn SERVER]") && tree.contains("[lb SERVER]")
                                 && tree.matches("(?s).*follows process \\[worker-[12] CONSUMER\\].*"));
    }

    @Test
    @Order(4)
    void drill_killsLeaderWorkerRelayAndPrimary_losesAndDuplicatesNothing_andDeadLettersOnlyThePoison() throws IOException {
        MillionsCommand.Result drill = millions("drill", "queue", "--duration", "40s", "--rate", "10", "--users", "12",
                                                "--poison", "2");

        assertThat(drill.exitCode()).as(drill.output()).isZero();
        assertThat(drill.output()).as(drill.output())
                                  .containsPattern("SIGKILL to queue-[123] \\(leader of posts-0\\)")
                                  .containsPattern("SIGKILL to worker-[12] \\(a worker\\)")
                                  .containsPattern("SIGKILL to db-1 \\(the database primary\\)")
                                  .containsPattern("after SIGKILL to leader of posts-0: max stall [0-9]+ ms \\(.*\\); "
                                                   + "no effect for [0-9]+ ms while posts waited")
                                  .containsPattern("queue: lost 0 of [1-9][0-9]* acknowledged events, duplicated 0 "
                                                   + "effects, max stall [0-9]+ ms, dead-lettered 2 \\(poison 2\\)");
        Matcher timeline = Pattern.compile("every post's acknowledgement and effect, in ms from the start: (\\S+)")
                                  .matcher(drill.output());
        assertThat(timeline.find()).as(drill.output()).isTrue();
        assertThat(Files.readAllLines(Path.of(timeline.group(1))))
                .first().isEqualTo("kind,post,acknowledged_ms,effect_ms");
        assertThat(Files.readAllLines(Path.of(timeline.group(1))))
                .filteredOn(line -> line.startsWith("fault,")).hasSize(4);
    }

    @Test
    @Order(5)
    void killedBroker_rejoins() throws Exception {
        Eventually.await("three brokers registered again", () -> millions("status").output(),
                         out -> out.matches("(?s).*queue-1 .*broker 1, registered.*")
                                && out.matches("(?s).*queue-2 .*broker 2, registered.*")
                                && out.matches("(?s).*queue-3 .*broker 3, registered.*"));
    }

    @Test
    @Order(6)
    void scaleWorkerUpAndDown_underWriteLoad_rebalancesTheGroup_andEveryPostReachesTheFeedOnce() throws Exception {
        String cdn = state().node("cdn").orElseThrow().url();
        ApiClient uma = new ApiClient(cdn).signUpAndLogIn("uma", "correct-horse");
        ApiClient vic = new ApiClient(cdn).signUpAndLogIn("vic", "correct-horse");
        vic.put("/api/users/uma/follow");
        List<Long> acknowledged = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().name("uma-posts").start(() -> {
            byte[] photo = ApiClient.png(24, 24);
            while (writing.get() && acknowledged.size() < FEED_PAGE) {
                ApiClient.Response posted = uma.postPhoto("during the rebalance", photo, "r.png");
                if (posted.status() == 201) {
                    acknowledged.add(posted.json().path("id").asLong());
                }
                LockSupport.parkNanos(WRITE_EVERY.toNanos()); // a steady load, not a wait for anything
            }
        });
        try {
            MillionsCommand.Result up = millions("scale", "worker=3");

            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(up.output()).contains("worker nodes now:");
            Eventually.await("worker-3 consuming", () -> millions("status").output(),
                             out -> out.matches("(?s).*worker-3 +worker +ready .*lag \\d+ over [1-9]\\d* partitions.*"));

            MillionsCommand.Result down = millions("scale", "worker=2");

            assertThat(down.exitCode()).as(down.output()).isZero();
            assertThat(millions("status").output()).doesNotContain("worker-3");
        } finally {
            writing.set(false);
            writer.join();
        }
        assertThat(acknowledged).as("posts written while the group rebalanced").isNotEmpty();
        Eventually.await("each acknowledged post in vic's feed, once",
                         () -> ids(vic.get("/api/feed?limit=" + FEED_PAGE).json().path("items")),
                         ids -> ids.size() == acknowledged.size() && Set.copyOf(ids).equals(Set.copyOf(acknowledged)));
    }

    @Test
    @Order(7)
    void poisonPhoto_endsInTheDeadLetterTopic_whereQueueDlqListsShowsAndReplaysIt() throws Exception {
        ApiClient erin = new ApiClient(state().node("cdn").orElseThrow().url()).signUpAndLogIn("erin", "correct-horse");
        byte[] corrupt = ApiClient.png(60, 60);
        Arrays.fill(corrupt, 41, corrupt.length - 12, (byte) 0x7f);
        long before = letters(millions("queue", "dlq", "list").output());
        assertThat(erin.postPhoto("corrupt", corrupt, "c.png").status()).isEqualTo(201);

        String list = Eventually.await("the dead letter listed", () -> millions("queue", "dlq", "list").output(),
                                       out -> letters(out) == before + 1);
        String id = list.lines().filter(line -> line.startsWith("posts.dlq-") && line.contains("cannot be decoded"))
                        .reduce((first, second) -> second).orElseThrow().split(" ")[0];

        MillionsCommand.Result show = millions("queue", "dlq", "show", id);
        assertThat(show.output()).contains("millions-attempts: 1").contains("\"type\": \"post-created\"");

        MillionsCommand.Result replay = millions("queue", "dlq", "replay", id);
        assertThat(replay.output()).as(replay.output()).contains("replayed 1 dead letter(s)");
        Eventually.await("the replayed poison dead-lettered again", () -> millions("queue", "dlq", "list").output(),
                         out -> letters(out) == before + 2);
    }

    @Test
    @Order(8)
    void bench_reportsLatencyTheSlowKeyAndThroughputPerWorkerCount_andLeavesTheWorkersAsTheyWere() {
        MillionsCommand.Result bench = millions("bench", "queue", "--duration", "5s", "--warmup", "2s", "--rate", "5",
                                                "--batch", "200", "--workers", "1,2");

        assertThat(bench.exitCode()).as(bench.output()).isZero();
        assertThat(bench.output()).as(bench.output())
                                  .containsPattern("queue latency: outbox to topic p50 \\d+ ms, p99 \\d+ ms; "
                                                   + "acknowledgement to effect p50 \\d+ ms, p99 \\d+ ms")
                                  .containsPattern("slow key: other keys' p99 \\d+ ms before, \\d+ ms while one key's "
                                                   + "event is retried; that key's posts waited up to \\d+ ms")
                                  .containsPattern("workers: 1 -> \\d+ events/s, 2 -> \\d+ events/s");
        assertThat(millions("status").output()).contains("worker-2").doesNotContain("worker-3");
    }

    @Test
    @Order(9)
    void benchFeed_readsThePulledAndTheFannedOutFeedFromTwoAddedNodes_whichAgree_andRemovesThem() {
        MillionsCommand.Result bench = millions("bench", "feed", "--users", "30", "--clients", "2", "--duration", "2s",
                                                "--warmup", "1s");

        assertThat(bench.exitCode()).as(bench.output()).isZero();
        assertThat(bench.output()).as(bench.output())
                                  .containsPattern("pull on web-3, fan-out on web-4")
                                  .contains("feeds agree: 20 of 20 sampled readers see the same first page on both nodes")
                                  .containsPattern("feed: pull p50 [0-9.]+ ms, p99 [0-9.]+ ms \\(\\d+ reads/s\\); fan-out "
                                                   + "p50 [0-9.]+ ms, p99 [0-9.]+ ms \\(\\d+ reads/s\\); p99 pull/fan-out [0-9.]+")
                                  .doesNotContain("failed reads");
        assertThat(millions("status").output()).contains("web-2").doesNotContain("web-3").doesNotContain("web-4");
    }

    private static long letters(String list) {
        return list.lines().filter(line -> line.endsWith(" dead letter(s)")).findFirst()
                   .map(line -> Long.parseLong(line.substring(0, line.indexOf(' ')))).orElse(-1L);
    }

    private static List<Long> ids(JsonNode items) {
        List<Long> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path("id").asLong()));
        return ids;
    }

    private String workerLogs() throws IOException {
        StringBuilder logs = new StringBuilder();
        for (String worker : new String[] { "worker-1", "worker-2" }) {
            Path log = runFolder.resolve("logs/" + worker + ".log");
            if (Files.exists(log)) {
                logs.append(Files.readString(log));
            }
        }
        return logs.toString();
    }

    private static RunState state() {
        return RunState.read(runFolder.resolve("state.json")).orElseThrow();
    }

    private static MillionsCommand.Result millions(String... args) {
        return new MillionsCommand(runFolder).run(args);
    }
}
