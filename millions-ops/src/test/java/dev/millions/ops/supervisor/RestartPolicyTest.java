package dev.millions.ops.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final RestartPolicy policy = RestartPolicy.systemdLike(now::get);

    @Test
    void exitsInARow_doubleTheDelay_upToTheMaximum() {
        assertThat(delayOfNextExit()).isEqualTo(Duration.ofSeconds(1));
        assertThat(delayOfNextExit()).isEqualTo(Duration.ofSeconds(2));
        assertThat(delayOfNextExit()).isEqualTo(Duration.ofSeconds(4));
        assertThat(delayOfNextExit()).isEqualTo(Duration.ofSeconds(8));
        RestartPolicy patient = new RestartPolicy(now::get, Duration.ofSeconds(10), Duration.ofSeconds(15), 10,
                                                  Duration.ofMinutes(10));
        patient.exited("web-1");
        assertThat(Duration.ofNanos(patient.exited("web-1") - now.get())).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void moreExitsThanTheBurstWithinTheInterval_stopTheRestarts() {
        for (int i = 0; i < RestartPolicy.BURST; i++) {
            assertThat(policy.exited("lb")).isPositive();
        }
        assertThat(policy.exited("lb")).isEqualTo(-1);
        assertThat(policy.recentExits("lb")).isEqualTo(RestartPolicy.BURST + 1);
    }

    @Test
    void aNodeThatStayedUpForTheInterval_startsAgainFromTheFirstDelay() {
        delayOfNextExit();
        delayOfNextExit();
        now.addAndGet(RestartPolicy.INTERVAL.toNanos() + 1);

        assertThat(delayOfNextExit()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aForgottenNode_startsAgainFromTheFirstDelay_andOtherNodesCountApart() {
        delayOfNextExit();
        delayOfNextExit();
        policy.forget("web-1");

        assertThat(delayOfNextExit()).isEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(policy.exited("web-2") - now.get())).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void due_onlyOnceTheTickerReachesTheRestartTime() {
        long at = policy.exited("web-1");

        assertThat(policy.due(at)).isFalse();
        now.set(at);
        assertThat(policy.due(at)).isTrue();
    }

    @Test
    void aBurstOfZero_isRefused() {
        assertThatThrownBy(() -> new RestartPolicy(now::get, Duration.ofSeconds(1), Duration.ofSeconds(2), 0,
                                                   Duration.ofMinutes(1)))
                .hasMessage("burst: 0 (expected: > 0)");
    }

    private Duration delayOfNextExit() {
        return Duration.ofNanos(policy.exited("web-1") - now.get());
    }
}
