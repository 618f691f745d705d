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
 * A kafka node through the commands a person types: {@code up} starts a KRaft cluster of three
 * processes, {@code status} shows each broker registered, a post made through the web node reaches its
 * topic through the outbox, and a broker killed with {@code chaos} is started again by the supervisor
 * and rejoins.
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
    void brokerKilled_isStartedAgainBySupervisor_andRejoins() throws Exception {
        long before = state().node("queue-2").orElseThrow().pid();

        MillionsCommand.Result kill = millions("chaos", "kill", "queue-2");

        assertThat(kill.exitCode()).as(kill.output()).isZero();
        Eventually.await("queue-2 started again", () -> state().node("queue-2").orElseThrow().pid(),
                         pid -> pid > 0 && pid != before);
        Eventually.await("queue-2 registered again", () -> millions("status").output(),
                         out -> out.matches("(?s).*queue-2 .*broker 2, registered.*"));
    }

    private static RunState state() {
        return RunState.read(runFolder.resolve("state.json")).orElseThrow();
    }

    private static MillionsCommand.Result millions(String... args) {
        return new MillionsCommand(runFolder).run(args);
    }
}
