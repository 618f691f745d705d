package dev.millions.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.MeterRegistry;

import dev.millions.app.media.ImageType;
import dev.millions.app.media.MediaStore;
import dev.millions.app.testing.ApiClient;
import dev.millions.app.testing.TestQueue;

/**
 * A worker against a real Kafka broker and a database of its own: the effects of the app's events
 * (thumbnails, fan-out on write, the celebrities merged when read), the idempotency guard under a
 * duplicate delivered at the same moment, retries that keep a key's order and hold up no other key, and
 * poison that ends in the dead-letter topic.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "millions.worker.enabled=true", "millions.worker.retry-delays=1s,15s", "millions.worker.celebrity-followers=3",
        "millions.worker.thumbnail-widths=32,64", "millions.feed.fan-out=true" })
@AutoConfigureObservability
@DirtiesContext
class WorkerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static TestQueue queue;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Effects effects;

    @Autowired
    MediaStore media;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    MeterRegistry registry;

    @DynamicPropertySource
    static void databaseAndQueue(DynamicPropertyRegistry registry) throws Exception {
        queue = TestQueue.start(registry);
    }

    @AfterAll
    static void stopServers() {
        queue.stop();
    }

    @Test
    void newPost_getsThumbnails_reachesEveryFollowersFeed_andLeavesThemWhenDeleted() {
        ApiClient alice = user("alice");
        ApiClient bob = user("bob");
        bob.put("/api/users/alice/follow");
        ApiClient.Response posted = alice.postPhoto("hello", ApiClient.png(100, 60), "a.png");
        long post = posted.json().path("id").asLong();
        String image = posted.json().path("imageUrl").asText().replace("/media/", "");

        await("the post in bob's feed", () -> feedIds(bob).contains(post));
        await("its thumbnails", () -> alice.get("/media/w64/" + image).status() == 200);
        assertThat(jdbc.sql("SELECT width FROM thumbnails WHERE image_name = ? ORDER BY width").param(image)
                       .query(Integer.class).list()).containsExactly(32, 64);
        assertThat(entries(post)).as("fanned out to the follower only; the author's own posts are merged when read")
                                 .isEqualTo(1);
        assertThat(feedIds(alice)).contains(post);

        alice.delete("/api/posts/" + post);

        await("the post gone from the feed table", () -> entries(post) == 0);
        assertThat(feedIds(bob)).doesNotContain(post);
    }

    @Test
    void consumerMetrics_carryTheLagOfThePartitionsTheWorkerReads() {
        user("lena").postPhoto("lag", ApiClient.png(20, 20), "l.png");

        await("a posts partition's lag among the worker's meters",
              () -> !registry.find("kafka.consumer.fetch.manager.records.lag").tag("topic", "posts").gauges().isEmpty());
    }

    @Test
    void follow_backfillsTheAuthorsPosts_andUnfollow_removesThem() {
        ApiClient carol = user("carol");
        ApiClient dan = user("dan");
        long first = carol.postPhoto("one", ApiClient.png(20, 20), "1.png").json().path("id").asLong();
        long second = carol.postPhoto("two", ApiClient.png(21, 20), "2.png").json().path("id").asLong();

        dan.put("/api/users/carol/follow");
        await("carol's posts in dan's feed", () -> feedIds(dan).containsAll(List.of(first, second)));

        dan.delete("/api/users/carol/follow");
        await("carol's posts gone from dan's feed", () -> !feedIds(dan).contains(first) && !feedIds(dan).contains(second));
    }

    @Test
    void celebrity_isNotFannedOut_butMergedIntoTheFeedWhenRead() {
        ApiClient star = user("star");
        List<ApiClient> fans = List.of(user("fan1"), user("fan2"), user("fan3"));
        fans.forEach(fan -> fan.put("/api/users/star/follow"));
        await("star counted a celebrity", () -> jdbc.sql("SELECT count(*) FROM celebrities").query(Long.class).single() == 1);

        ApiClient.Response posted = star.postPhoto("famous", ApiClient.png(10, 10), "s.png");
        long post = posted.json().path("id").asLong();
        String image = posted.json().path("imageUrl").asText().replace("/media/", "");

        for (ApiClient fan : fans) {
            await("the post in a fan's feed", () -> feedIds(fan).contains(post));
        }
        await("the post's event applied", () -> jdbc.sql("SELECT count(*) FROM thumbnails WHERE image_name = ?")
                                                    .param(image).query(Long.class).single() == 2);
        assertThat(entries(post)).as("a celebrity's post is not pushed to followers").isZero();
    }

    @Test
    void sameEventDeliveredTwiceAtOnce_isAppliedOnce() throws Exception {
        long[] ids = { userId(user("erin")), userId(user("frank")) };
        jdbc.sql("INSERT INTO posts (author_id, caption, image_name, content_type, width, height) VALUES (?, 'x', 'x', 'image/png', 1, 1)")
            .param(ids[1]).update();
        Event followed = Event.parse(("{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"followed\",\"followerId\":" + ids[0]
                                      + ",\"followeeId\":" + ids[1] + '}').getBytes(StandardCharsets.UTF_8));
        TransactionTemplate template = new TransactionTemplate(transactions);
        CountDownLatch firstApplied = new CountDownLatch(1);
        CountDownLatch secondWaiting = new CountDownLatch(1);
        // Threads of their own: the common pool may have a single one on a small machine.
        ExecutorService threads = Executors.newFixedThreadPool(2);

        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> template.execute(status -> {
            boolean applied = effects.apply(followed);
            firstApplied.countDown();
            await(secondWaiting);
            return applied;
        }), threads);
        assertThat(firstApplied.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(
                () -> template.execute(status -> effects.apply(followed)), threads);
        // Seen from outside any transaction: PostgreSQL shows a transaction one snapshot of pg_stat_activity.
        await("the second copy waiting on the first's uncommitted guard row", () -> jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                 WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO applied_events%'""")
                .query(Long.class).single() == 1);
        secondWaiting.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(30, TimeUnit.SECONDS)).as("the duplicate applies nothing").isFalse();
        threads.shutdown();
        assertThat(jdbc.sql("SELECT count(*) FROM feed_entries WHERE user_id = ?").param(ids[0]).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void failingEvent_isRetriedInOrderWithItsKey_whileOtherKeysGoOn() {
        long author = userId(user("gina"));
        long follower = userId(user("hank"));
        jdbc.sql("INSERT INTO follows (follower_id, followee_id) VALUES (?, ?)").params(follower, author).update();
        byte[] late = ApiClient.png(30, 30);
        String lateName = MediaStore.nameOf(late, ImageType.PNG);
        long post = jdbc.sql("""
                             INSERT INTO posts (author_id, caption, image_name, content_type, width, height)
                             VALUES (?, 'late', ?, 'image/png', 30, 30) RETURNING id""").params(author, lateName)
                        .query(Long.class).single();
        // The photo is not in the store yet: the fan-out fails and is retried; the deletion waits behind it.
        UUID created = outbox("posts", author, "{\"type\":\"post-created\",\"postId\":" + post + ",\"authorId\":" + author
                                               + ",\"imageName\":\"" + lateName + "\"}");
        UUID deleted = outbox("posts", author, "{\"type\":\"post-deleted\",\"postId\":" + post + ",\"authorId\":" + author + '}');
        ApiClient other = user("ivan");
        ApiClient reader = user("judy");
        reader.put("/api/users/ivan/follow");
        long otherPost = other.postPhoto("other key", ApiClient.png(12, 12), "o.png").json().path("id").asLong();

        await("the failed event and the one behind it parked", () -> parked(author) == 2);
        await("the other key's post fanned out", () -> feedIds(reader).contains(otherPost));
        assertThat(appliedOrder(created, deleted)).as("the deletion waits for the creation").isEmpty();

        media.store(late, ImageType.PNG);

        await("both applied", () -> appliedOrder(created, deleted).size() == 2);
        assertThat(appliedOrder(created, deleted)).containsExactly(created, deleted);
        assertThat(entries(post)).as("the deletion undid the fan-out").isZero();
        assertThat(parked(author)).isZero();
    }

    @Test
    void poisonAndExhaustedEvents_endInTheDeadLetterTopic_withTheirError() throws Exception {
        ApiClient kim = user("kim");
        long author = userId(kim);
        byte[] corrupt = ApiClient.png(50, 50);
        Arrays.fill(corrupt, 41, corrupt.length - 12, (byte) 0x7f);
        // The upload's header is fine, so the app takes it; its pixels cannot be decoded.
        long corruptPost = kim.postPhoto("corrupt", corrupt, "c.png").json().path("id").asLong();
        outbox("posts", author, "{\"type\":\"no-such-type\"}");
        String missing = MediaStore.nameOf("never stored".getBytes(StandardCharsets.UTF_8), ImageType.PNG);
        outbox("follows", author, "{\"type\":\"post-created\",\"postId\":1,\"authorId\":1,\"imageName\":\"" + missing + "\"}");

        List<ConsumerRecord<String, String>> dead = deadLetters(3);

        assertThat(dead).extracting(record -> record.topic() + " " + header(record, Forwarder.ATTEMPTS))
                        .containsExactlyInAnyOrder("posts.dlq 1", "posts.dlq 1", "follows.dlq 3");
        assertThat(dead).filteredOn(record -> record.value().contains("\"postId\": " + corruptPost)
                                              || record.value().contains("\"postId\":" + corruptPost))
                        .singleElement().satisfies(record -> assertThat(header(record, Forwarder.ERROR)).contains("cannot be decoded"));
        assertThat(dead).allSatisfy(record -> assertThat(header(record, Forwarder.FIRST_FAILURE)).isNotEmpty());
        assertThat(jdbc.sql("SELECT count(*) FROM parked_events").query(Long.class).single()).isZero();
    }

    private ApiClient user(String name) {
        return new ApiClient("http://127.0.0.1:" + port).signUpAndLogIn(name, "password-of-" + name);
    }

    private long userId(ApiClient client) {
        String name = client.get("/api/me").json().path("username").asText();
        return jdbc.sql("SELECT id FROM users WHERE username = ?").param(name).query(Long.class).single();
    }

    private static List<Long> feedIds(ApiClient reader) {
        List<Long> ids = new ArrayList<>();
        reader.get("/api/feed").json().path("items").forEach(post -> ids.add(post.path("id").asLong()));
        return ids;
    }

    private long entries(long post) {
        return jdbc.sql("SELECT count(*) FROM feed_entries WHERE post_id = ?").param(post).query(Long.class).single();
    }

    private long parked(long key) {
        return jdbc.sql("SELECT count(*) FROM parked_events WHERE event_key = ?").param(Long.toString(key))
                   .query(Long.class).single();
    }

    /** Writes an event to the outbox, as a producer of the app would; returns its id. */
    private UUID outbox(String topic, long key, String payload) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO outbox (topic, event_key, payload) VALUES (?, ?, jsonb_set(CAST(? AS jsonb), '{eventId}', to_jsonb(CAST(? AS text))))")
            .params(topic, Long.toString(key), payload, id.toString()).update();
        return id;
    }

    /** Which of these events have been applied, in the order their effects committed. */
    private List<UUID> appliedOrder(UUID... events) {
        return jdbc.sql("SELECT event_id FROM applied_events WHERE event_id = ANY(CAST(? AS uuid[])) ORDER BY applied_at")
                   .param(Arrays.stream(events).map(UUID::toString).collect(java.util.stream.Collectors.joining(",", "{", "}")))
                   .query(UUID.class).list();
    }

    private List<ConsumerRecord<String, String>> deadLetters(int count) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, queue.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("posts.dlq", "follows.dlq"));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long start = System.nanoTime();
            while (records.size() < count) {
                if (System.nanoTime() - start > DEADLINE.toNanos()) {
                    fail("%d dead letters within %d s; got %s", count, DEADLINE.toSeconds(), records);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return Forwarder.header(record, name, "");
    }

    private static void await(String what, BooleanSupplier done) {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - start > DEADLINE.toNanos()) {
                fail("%s: not within %d s", what, DEADLINE.toSeconds());
            }
            pauseBriefly();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pauseBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
