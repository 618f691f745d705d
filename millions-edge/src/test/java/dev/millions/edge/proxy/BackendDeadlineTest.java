package dev.millions.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class BackendDeadlineTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final BackendDeadline deadline = new BackendDeadline(now::get, 100);

    @Test
    void armed_passesOnlyAfterTheTimeout() {
        deadline.arm();

        assertThat(deadline.passed(now.get() + 100)).isFalse();
        assertThat(deadline.passed(now.get() + 101)).isTrue();
    }

    @Test
    void cancelled_whileTheClientIsWaitedFor_neverPasses() {
        deadline.arm();
        deadline.cancel();

        assertThat(deadline.passed(now.get() + 1_000_000)).isFalse();
    }

    @Test
    void extended_countsAgainFromNow_butOnlyWhileArmed() {
        deadline.extend();
        assertThat(deadline.passed(now.get() + 1_000)).as("not armed: nothing awaited").isFalse();

        deadline.arm();
        now.addAndGet(90);
        deadline.extend();

        assertThat(deadline.passed(now.get() + 100)).isFalse();
        assertThat(deadline.passed(now.get() + 101)).isTrue();
    }
}
