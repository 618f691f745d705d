package dev.millions.app.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Ticker;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The near cache's guard against a value read before an invalidation and put after it. */
class NearCacheTest {

    NearCache near;

    @BeforeEach
    void trustedNearCache() {
        near = new NearCache(100, Duration.ofSeconds(30), Ticker.systemTicker(), new SimpleMeterRegistry());
        near.trust();
    }

    @Test
    void putUnderTheCurrentStamp_isKept() {
        near.put("post:1", Optional.of("v1"), near.stamp());

        assertThat(near.get("post:1")).isEqualTo(Optional.of("v1"));
    }

    @Test
    void valueReadBeforeAnInvalidation_andPutAfterIt_isNotKept() {
        long stamp = near.stamp();
        // The reader has read "old" from Redis; a writer's invalidation arrives before its put.
        near.invalidate("post:1");
        near.put("post:1", Optional.of("old"), stamp);

        assertThat(near.get("post:1")).isNull();
    }

    @Test
    void invalidationOfAnotherKey_alsoRefusesPutsInFlight() {
        long stamp = near.stamp();
        near.invalidate("post:2");
        near.put("post:1", Optional.of("v1"), stamp);

        assertThat(near.get("post:1")).isNull();
        near.put("post:1", Optional.of("v1"), near.stamp());
        assertThat(near.get("post:1")).isEqualTo(Optional.of("v1"));
    }

    @Test
    void notFound_isNeverKept() {
        near.put("post:1", Optional.empty(), near.stamp());

        assertThat(near.get("post:1")).isNull();
    }

    @Test
    void distrusted_servesNothing_andForgetsPutsInFlight() {
        near.put("post:1", Optional.of("v1"), near.stamp());
        long stamp = near.stamp();

        near.distrust();
        assertThat(near.get("post:1")).isNull();
        near.trust();
        near.put("post:2", Optional.of("v2"), stamp);

        assertThat(near.get("post:1")).isNull();
        assertThat(near.get("post:2")).isNull();
    }

    @Test
    void invalidationFromAnotherNode_isApplied_butThisNodesOwnIsSkipped() {
        near.put("post:1", Optional.of("v1"), near.stamp());
        near.put("post:2", Optional.of("v2"), near.stamp());

        InvalidationBus.receive(InvalidationBus.message("post:1"), near);
        assertThat(near.get("post:1")).as("own message, applied when sent").isEqualTo(Optional.of("v1"));

        InvalidationBus.receive("@another-node\npost:1", near);
        InvalidationBus.receive("post:2", near);
        assertThat(near.get("post:1")).isNull();
        assertThat(near.get("post:2")).as("a message without a sender line").isNull();
    }
}
