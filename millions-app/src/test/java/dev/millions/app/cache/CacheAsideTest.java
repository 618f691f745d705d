package dev.millions.app.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.millions.app.testing.ApiClient;
import dev.millions.app.testing.ApiClient.Response;
import dev.millions.app.testing.AppTestBase;
import dev.millions.app.testing.TestCache;
import dev.millions.redis.RedisCluster;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The app with a real Redis Cluster as its cache tier and session store; the cluster is stopped last. */
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheAsideTest extends AppTestBase {

    private static RedisCluster cluster;

    @Autowired
    MeterRegistry registry;

    @DynamicPropertySource
    static void cache(DynamicPropertyRegistry registry) {
        cluster = TestCache.start();
        registry.add("millions.cache.nodes", () -> String.join(",", cluster.seeds()));
        registry.add("millions.cache.max-value", () -> "2KB");
    }

    @AfterAll
    static void stopCache() {
        cluster.stop();
    }

    @BeforeEach
    void emptyTheCache() {
        if (cluster.nodes().getFirst().isReady()) {
            try (Redis redis = new Redis()) {
                redis.connection.sync().flushall();
            }
        }
    }

    @Test
    @Order(1)
    void repeatedProfileReads_touchTheDatabaseOnce() {
        client().signUpAndLogIn("alice", "correct-horse");
        ApiClient anonymous = client();

        double first = readsDuring(() -> assertThat(anonymous.get("/api/users/alice").status()).isEqualTo(200));
        double second = readsOnceStored(() -> assertThat(anonymous.get("/api/users/alice").status()).isEqualTo(200));

        assertThat(first).isGreaterThan(0);
        assertThat(second).isZero();
        assertThat(count("millions.cache.gets", "result", "hit") + count("millions.cache.gets", "result", "near_hit"))
                .isPositive();
    }

    @Test
    @Order(2)
    void unknownName_isCachedAsNotFound_untilSomeoneTakesIt() {
        ApiClient anonymous = client();
        assertThat(anonymous.get("/api/users/carol").status()).isEqualTo(404);
        assertThat(readsOnceStored(() -> assertThat(anonymous.get("/api/users/carol").status()).isEqualTo(404)))
                .isZero();

        client().signUpAndLogIn("carol", "correct-horse");

        assertThat(anonymous.get("/api/users/carol").status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void followsAndPosts_showInCountsListsAndFeeds_rightAway() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        ApiClient bob = client().signUpAndLogIn("bob", "correct-horse");
        assertThat(bob.get("/api/users/alice").json().path("followers").asLong()).isZero();
        assertThat(bob.get("/api/feed").json().path("items")).isEmpty();
        assertThat(alice.get("/api/users/alice/posts").json().path("items")).isEmpty();

        assertThat(alice.postPhoto("first", ApiClient.jpeg(20, 20), "a.jpg").status()).isEqualTo(201);
        assertThat(bob.put("/api/users/alice/follow").status()).isEqualTo(204);

        assertThat(bob.get("/api/users/alice").json().path("followers").asLong()).isEqualTo(1);
        assertThat(bob.get("/api/users/alice").json().path("posts").asLong()).isEqualTo(1);
        assertThat(bob.get("/api/users/alice").json().path("followedByMe").asBoolean()).isTrue();
        assertThat(alice.get("/api/users/alice/posts").json().path("items")).hasSize(1);
        assertThat(alice.get("/api/feed").json().path("items")).hasSize(1);
        assertThat(bob.get("/api/feed").json().path("items")).hasSize(1);

        assertThat(bob.delete("/api/users/alice/follow").status()).isEqualTo(204);

        assertThat(bob.get("/api/users/alice").json().path("followers").asLong()).isZero();
        assertThat(bob.get("/api/feed").json().path("items")).isEmpty();
    }

    @Test
    @Order(4)
    void newPost_isWrittenThrough_soReadingItBackCostsNoQuery() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        long id = alice.postPhoto("fresh", ApiClient.jpeg(20, 20), "a.jpg").json().path("id").asLong();

        Response[] post = new Response[1];
        assertThat(readsDuring(() -> post[0] = alice.get("/api/posts/" + id))).isZero();
        assertThat(post[0].json().path("caption").asText()).isEqualTo("fresh");
        assertThat(post[0].json().path("author").path("username").asText()).isEqualTo("alice");
    }

    @Test
    @Order(5)
    void feedOfManyAuthors_isMergedFromTheirPages_loadingTheMissingOnesInOneQuery() {
        ApiClient reader = client().signUpAndLogIn("reader", "correct-horse");
        for (int i = 0; i < 5; i++) {
            ApiClient author = client().signUpAndLogIn("author" + i, "correct-horse");
            assertThat(author.postPhoto("post " + i, ApiClient.jpeg(20, 20), "a.jpg").status()).isEqualTo(201);
            assertThat(reader.put("/api/users/author" + i + "/follow").status()).isEqualTo(204);
        }
        try (Redis redis = new Redis()) {
            // The cache entries only: the reader's session stays.
            ScanIterator.scan(redis.connection.sync(), ScanArgs.Builder.matches("m:*"))
                        .forEachRemaining(key -> redis.connection.sync().del(key));
        }

        Response[] feed = new Response[1];
        double reads = readsDuring(() -> feed[0] = reader.get("/api/feed"));

        assertThat(feed[0].json().path("items")).extracting(item -> item.path("caption").asText())
                                                .containsExactly("post 4", "post 3", "post 2", "post 1", "post 0");
        assertThat(reads).as("whom the reader follows, then the six first pages at once").isEqualTo(2);
        assertThat(readsOnceStored(() -> reader.get("/api/feed"))).isZero();
    }

    @Test
    @Order(6)
    void sessions_liveInTheCacheTier_notInTheDatabase() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");

        assertThat(alice.get("/api/me").status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM spring_session").query(Long.class).single()).isZero();
        try (Redis redis = new Redis()) {
            assertThat(ScanIterator.scan(redis.connection.sync(), ScanArgs.Builder.matches("millions:session:*"))
                                   .stream().toList()).isNotEmpty();
        }
    }

    @Test
    @Order(7)
    void valueOverTheLimit_isServed_butNotCached() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        long id = alice.postPhoto("x".repeat(2100), ApiClient.jpeg(20, 20), "a.jpg").json().path("id").asLong();
        double refusedBefore = count("millions.cache.refused", "cache", "post");

        Response first = alice.get("/api/posts/" + id);
        double secondReads = readsDuring(() -> assertThat(alice.get("/api/posts/" + id).status()).isEqualTo(200));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("caption").asText()).hasSize(2100);
        assertThat(secondReads).isPositive();
        assertThat(count("millions.cache.refused", "cache", "post")).isGreaterThan(refusedBefore);
    }

    @Test
    @Order(8)
    void cacheDown_readsComeFromTheDatabase_andAreCounted() {
        client().signUpAndLogIn("alice", "correct-horse");
        cluster.stop();
        double fallbacksBefore = count("millions.cache.fallbacks", "cache", "user-by-name");

        Response profile = client().get("/api/users/alice");

        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.json().path("username").asText()).isEqualTo("alice");
        assertThat(count("millions.cache.fallbacks", "cache", "user-by-name")).isGreaterThan(fallbacksBefore);
        assertThat(client().get("/health/readiness").status()).isEqualTo(200);
    }

    /**
     * The database reads of {@code action} once what earlier misses loaded is in the cache: a miss's
     * value is stored without the request waiting for it, so the action is repeated (each repetition
     * a miss that stores again) until one costs no read, or 20 s have passed.
     */
    private double readsOnceStored(Runnable action) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        double reads = readsDuring(action);
        while (reads > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            reads = readsDuring(action);
        }
        return reads;
    }

    private double readsDuring(Runnable action) {
        double before = registry.counter("millions.db.reads").count();
        action.run();
        return registry.counter("millions.db.reads").count() - before;
    }

    private double count(String name, String tag, String value) {
        return registry.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** A client of the test's own, to look into the cluster. */
    private static final class Redis implements AutoCloseable {

        private final RedisClusterClient client = RedisClusterClient.create(
                cluster.seeds().stream().map(seed -> io.lettuce.core.RedisURI.create("redis://" + seed)).toList());
        private final StatefulRedisClusterConnection<String, String> connection = client.connect();

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
