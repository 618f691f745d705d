package dev.millions.app.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.app.testing.ApiClient;
import dev.millions.app.testing.TestQueue;

/**
 * The outbox against a real Kafka broker and a database of its own (so that no other test context's
 * relay takes the events): what the API changes reaches its topic, in order per key, through the
 * relay, and a row that commits after a later one is published all the same.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class OutboxRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static TestQueue queue;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private KafkaConsumer<String, String> consumer;

    @DynamicPropertySource
    static void databaseAndQueue(DynamicPropertyRegistry registry) throws Exception {
        queue = TestQueue.start(registry);
    }

    @AfterAll
    static void stopServers() {
        queue.stop();
    }

    @BeforeEach
    void subscribe() {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, queue.bootstrapServers(),
                                              ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                                              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                                       new StringDeserializer(), new StringDeserializer());
        awaitTopics();
        consumer.subscribe(List.of("posts", "follows"));
        // Joined and positioned at the end before anything is written.
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
    }

    @AfterEach
    void closeConsumer() {
        consumer.close();
    }

    @Test
    void postFollowUnfollowAndDelete_reachTheirTopicsInOrderPerKey_andLeaveTheOutboxEmpty() throws Exception {
        String url = "http://127.0.0.1:" + port;
        ApiClient alice = new ApiClient(url).signUpAndLogIn("alice", "correct-horse");
        ApiClient bob = new ApiClient(url).signUpAndLogIn("bob", "battery-staple");
        long postId = alice.postPhoto("hello", ApiClient.png(10, 10), "a.png").json().path("id").asLong();
        bob.put("/api/users/alice/follow");
        bob.put("/api/users/alice/follow");
        bob.delete("/api/users/alice/follow");
        alice.delete("/api/posts/" + postId);

        List<ConsumerRecord<String, String>> events = consume(records -> records.size() >= 4);

        assertThat(events).filteredOn(event -> event.topic().equals("posts"))
                          .extracting(event -> type(event) + " " + json(event).path("postId").asLong())
                          .containsExactly("post-created " + postId, "post-deleted " + postId);
        assertThat(events).filteredOn(event -> event.topic().equals("follows")).extracting(OutboxRelayTest::type)
                          .as("a follow that was there already is no event").containsExactly("followed", "unfollowed");
        assertThat(events).extracting(event -> json(event).path("eventId").asText()).doesNotHaveDuplicates();
        assertThat(events).as("keyed by the author, or the follower")
                          .allMatch(event -> event.key().equals(json(event).path(event.topic().equals("posts")
                                                                                 ? "authorId" : "followerId").asText()));
        await("the outbox emptied", () -> jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single() == 0);
    }

    @Test
    void event_carriesTheTraceparentAndRequestIdOfTheRequestThatCausedIt() {
        String url = "http://127.0.0.1:" + port;
        new ApiClient(url).signUpAndLogIn("carol", "correct-horse");
        ApiClient dave = new ApiClient(url).signUpAndLogIn("dave", "battery-staple");

        dave.put("/api/users/carol/follow", Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                                                   "X-Request-Id", "dave-follows-carol"));

        ConsumerRecord<String, String> event = consume(records -> !records.isEmpty()).get(0);
        assertThat(header(event, "traceparent")).as("the request's trace, with the app's span as the parent")
                                                .matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
                                                .doesNotContain("00f067aa0ba902b7");
        assertThat(header(event, "millions-request-id")).isEqualTo("dave-follows-carol");
    }

    @Test
    void rowCommittedAfterALaterOne_isPublishedAllTheSame() throws Exception {
        try (Connection early = connect()) {
            early.setAutoCommit(false);
            insert(early, "early");
            try (Connection late = connect()) {
                insert(late, "late");
            }
            assertThat(consume(records -> !records.isEmpty())).extracting(OutboxRelayTest::type).containsExactly("late");

            early.commit();
        }

        assertThat(consume(records -> !records.isEmpty())).extracting(OutboxRelayTest::type).containsExactly("early");
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(queue.database().jdbcUrl(), queue.database().username(),
                                           queue.database().password());
    }

    private static void insert(Connection connection, String type) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO outbox (topic, event_key, payload) VALUES ('posts', 'test', jsonb_build_object('type', ?::text))")) {
            statement.setString(1, type);
            statement.executeUpdate();
        }
    }

    private List<ConsumerRecord<String, String>> consume(Predicate<List<ConsumerRecord<String, String>>> enough) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long start = System.nanoTime();
        while (!enough.test(records)) {
            if (System.nanoTime() - start > DEADLINE.toNanos()) {
                fail("not within %d s; got %s", DEADLINE.toSeconds(), records);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        return records;
    }

    private void awaitTopics() {
        await("the relay created its topics", () -> consumer.listTopics().keySet().containsAll(Topics.EVENTS));
    }

    private static String header(ConsumerRecord<String, String> event, String name) {
        var header = event.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String type(ConsumerRecord<String, String> event) {
        return json(event).path("type").asText();
    }

    private static JsonNode json(ConsumerRecord<String, String> event) {
        try {
            return JSON.readTree(event.value());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier done) {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - start > DEADLINE.toNanos()) {
                fail("%s: not within %d s", what, DEADLINE.toSeconds());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
