package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * A kafka node and a worker through the commands a person types: {@code up} starts a KRaft cluster of
 * three processes, {@code status} shows each broker registered and the worker's lag, a post made
 * through the web node reaches its topic through the outbox and its follower's feed through the worker,
 * a broker killed with {@code chaos} is started again by the supervisor and rejoins, {@code scale
 * worker=2} adds a member to the consumer group, and a poison photo ends in the dead-letter topic, where
 * {@code queue dlq} lists, shows and replays it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaNodeEndToEndTest {

    private static final String TOPOLOGY = """
            name: queue-test
            nodes:
              queue:
                role: kafka
                settings:
                  heap-mb: 256
              db:
                role: postgres
                port: auto
              web-1:
                role: web
                port: auto
                database: db
                queue: queue
                settings:
                  millions.feed.fan-out: "true"
                jvm-options: [-Xmx256m]
              worker-1:
                role: worker
                port: auto
                database: db
                queue: queue
                settings:
                  millions.worker.retry-delays: 200ms
                jvm-options: [-Xmx256m]
            """;

    @TempDir
    static Path folder;

    static Path runFolder;
    static Path topologyFile;

    @BeforeAll
    static void writeTopology() throws IOException {
        runFolder = folder.resolve("run");
        topologyFile = Files.writeString(folder.resolve("queue-test.yaml"), TOPOLOGY);
    }

    @AfterAll
    static void stopEverything() {
        millions("down");
    }

    @Test
    @Order(1)
    void up_startsThreeBrokers_andStatusShowsEachRegistered() throws Exception {
        MillionsCommand.Result up = millions("up", topologyFile.toString(), "-d");

        assertThat(up.exitCode()).as(up.output()).isZero();
        String status = Eventually.await("three brokers registered", () -> millions("status").output(),
                                         out -> out.matches("(?s).*queue-1 .*broker 1, registered.*")
                                                && out.matches("(?s).*queue-2 .*broker 2, registered.*")
                                                && out.matches("(?s).*queue-3 .*broker 3, registered.*"));
        assertThat(status).containsPattern("queue +kafka +ready .*3 of 3 brokers accept connections");
    }

    @Test
    @Order(2)
    void postMadeThroughTheWebNode_reachesItsTopicThroughTheOutbox() throws Exception {
        ApiClient alice = new ApiClient(state().node("web-1").orElseThrow().url()).signUpAndLogIn("alice", "correct-horse");
        long postId = alice.postPhoto("queued", ApiClient.png(8, 8), "q.png").json().path("id").asLong();

        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, state().node("queue").orElseThrow().address(),
                                            ConsumerConfig.GROUP_ID_CONFIG, "e2e", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                                                                          new StringDeserializer())) {
            consumer.subscribe(List.of("posts"));
            List<String> events = new ArrayList<>();
            Eventually.await("the post's event", () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(event -> events.add(event.value()));
                return events;
            }, seen -> seen.stream().anyMatch(event -> event.contains("\"postId\": " + postId)
                                                       || event.contains("\"postId\":" + postId)));
        }
    }

    @Test
    @Order(3)
    void postMadeThroughTheWebNode_reachesTheFollowersFeedThroughTheWorker_withItsThumbnails() throws Exception {
        String web = state().node("web-1").orElseThrow().url();
        ApiClient carol = new ApiClient(web).signUpAndLogIn("carol", "correct-horse");
        ApiClient dave = new ApiClient(web).signUpAndLogIn("dave", "correct-horse");
        dave.put("/api/users/carol/follow");

        ApiClient.Response posted = carol.postPhoto("fanned out", ApiClient.png(700, 20), "f.png");
        long postId = posted.json().path("id").asLong();
        String image = posted.json().path("imageUrl").asText().replace("/media/", "");

        Eventually.await("the post in dave's feed", () -> dave.get("/api/feed").json().path("items").toString(),
                         items -> items.contains("\"id\":" + postId));
        Eventually.await("its thumbnail", () -> dave.get("/media/w320/" + image).status(), status -> status == 200);
        Eventually.await("the worker's progress in status", () -> millions("status").output(),
                         out -> out.matches("(?s).*worker-1 +worker +ready .*ready, lag \\d+ over \\d+ partitions.*applied [1-9].*"));
    }

    @Test
    @Order(4)
    void brokerKilled_isStartedAgainBySupervisor_andRejoins() throws Exception {
        long before = state().node("queue-2").orElseThrow().pid();

        MillionsCommand.Result kill = millions("chaos", "kill", "queue-2");

        assertThat(kill.exitCode()).as(kill.output()).isZero();
        Eventually.await("queue-2 started again", () -> state().node("queue-2").orElseThrow().pid(),
                         pid -> pid > 0 && pid != before);
        Eventually.await("queue-2 registered again", () -> millions("status").output(),
                         out -> out.matches("(?s).*queue-2 .*broker 2, registered.*"));
    }

    @Test
    @Order(5)
    void scaleWorker_addsAMemberToTheConsumerGroup_andRemovesItAgain() throws Exception {
        MillionsCommand.Result up = millions("scale", "worker=2");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("worker nodes now:");
        Eventually.await("worker-2 consuming", () -> millions("status").output(),
                         out -> out.matches("(?s).*worker-2 +worker +ready .*lag \\d+ over [1-9]\\d* partitions.*"));

        MillionsCommand.Result down = millions("scale", "worker=1");

        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(millions("status").output()).doesNotContain("worker-2");
    }

    @Test
    @Order(6)
    void poisonPhoto_endsInTheDeadLetterTopic_whereQueueDlqListsShowsAndReplaysIt() throws Exception {
        ApiClient erin = new ApiClient(state().node("web-1").orElseThrow().url()).signUpAndLogIn("erin", "correct-horse");
        byte[] corrupt = ApiClient.png(60, 60);
        java.util.Arrays.fill(corrupt, 41, corrupt.length - 12, (byte) 0x7f);
        assertThat(erin.postPhoto("corrupt", corrupt, "c.png").status()).isEqualTo(201);

        String list = Eventually.await("the dead letter listed", () -> millions("queue", "dlq", "list").output(),
                                       out -> out.contains("1 dead letter(s)"));
        String id = list.lines().filter(line -> line.startsWith("posts.dlq-")).findFirst().orElseThrow().split(" ")[0];
        assertThat(list).contains("cannot be decoded");

        MillionsCommand.Result show = millions("queue", "dlq", "show", id);
        assertThat(show.output()).contains("millions-attempts: 1").contains("\"type\": \"post-created\"");

        MillionsCommand.Result replay = millions("queue", "dlq", "replay", id);
        assertThat(replay.output()).as(replay.output()).contains("replayed 1 dead letter(s)");
        Eventually.await("the replayed poison dead-lettered again", () -> millions("queue", "dlq", "list").output(),
                         out -> out.contains("2 dead letter(s)"));
    }

    private static RunState state() {
        return RunState.read(runFolder.resolve("state.json")).orElseThrow();
    }

    private static MillionsCommand.Result millions(String... args) {
        return new MillionsCommand(runFolder).run(args);
    }
}
