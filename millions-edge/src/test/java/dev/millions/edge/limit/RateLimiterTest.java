package dev.millions.edge.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    final AtomicLong now = new AtomicLong(0);

    @Test
    void burstIsAllowed_thenTheRate_perClient() {
        RateLimiter limiter = new RateLimiter(10, 3, now::get);

        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isEqualTo(100_000_000L);
        assertThat(limiter.acquire("b")).isZero();

        now.addAndGet(100_000_000L);
        assertThat(limiter.acquire("a")).isZero();
    }

    @Test
    void sweep_forgetsClientsWhoseBucketsAreFullAgain() {
        RateLimiter limiter = new RateLimiter(10, 2, now::get);
        limiter.acquire("a");
        limiter.acquire("b");
        limiter.acquire("b");

        now.addAndGet(150_000_000L);
        limiter.sweep();

        assertThat(limiter.clients()).isEqualTo(1);
    }
}
