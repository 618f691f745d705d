package dev.millions.edge.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.millions.edge.balance.Backend;
import dev.millions.edge.balance.BackendSet;

/** Outlier ejection, rise/fall and the retry budget, on a ticker the test moves. */
class PassiveHealthAndBudgetTest {

    static final long SECOND = 1_000_000_000L;
    final AtomicLong now = new AtomicLong(100 * SECOND);

    @Test
    void consecutiveFailures_ejectForTheBaseTime_thenLongerEachTime() {
        BackendSet set = set(4);
        Backend backend = set.all().get(0);
        OutlierDetector detector = new OutlierDetector(set, 3, SECOND, 50, now::get);

        detector.failure(backend);
        detector.failure(backend);
        assertThat(backend.available(now.get())).isTrue();
        assertThat(detector.failure(backend)).isTrue();
        assertThat(backend.available(now.get())).isFalse();

        now.addAndGet(SECOND);
        assertThat(backend.available(now.get())).isTrue();
        for (int i = 0; i < 3; i++) {
            detector.failure(backend);
        }
        now.addAndGet(SECOND);
        assertThat(backend.available(now.get())).as("second ejection lasts two base times").isFalse();
    }

    @Test
    void success_resetsTheFailureCount() {
        BackendSet set = set(2);
        Backend backend = set.all().get(0);
        OutlierDetector detector = new OutlierDetector(set, 2, SECOND, 100, now::get);

        detector.failure(backend);
        detector.success(backend);
        detector.failure(backend);

        assertThat(backend.available(now.get())).isTrue();
    }

    @Test
    void ejectionCap_keepsHalfThePoolIn_evenWhenAllFail() {
        BackendSet set = set(4);
        OutlierDetector detector = new OutlierDetector(set, 1, SECOND, 50, now::get);

        set.all().forEach(detector::failure);

        assertThat(set.available(now.get())).hasSize(2);
    }

    @Test
    void riseAndFall_needThatManyChecksInARow() {
        HealthState state = new HealthState(2, 3, true);

        assertThat(state.observe(false)).isTrue();
        assertThat(state.observe(false)).isTrue();
        assertThat(state.observe(true)).isTrue();
        assertThat(state.observe(false)).isTrue();
        assertThat(state.observe(false)).isTrue();
        assertThat(state.observe(false)).isFalse();
        assertThat(state.observe(true)).isFalse();
        assertThat(state.observe(true)).isTrue();
    }

    @Test
    void retryBudget_allowsAShareOfRequests_plusAFloorPerSecond() {
        RetryBudget budget = new RetryBudget(20, 0, now::get);
        for (int i = 0; i < 10; i++) {
            budget.deposit();
        }

        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isFalse();

        RetryBudget floor = new RetryBudget(0, 5, now::get);
        for (int i = 0; i < 5; i++) {
            assertThat(floor.tryWithdraw()).isTrue();
        }
        assertThat(floor.tryWithdraw()).isFalse();
        now.addAndGet(SECOND);
        assertThat(floor.tryWithdraw()).isTrue();
    }

    private BackendSet set(int size) {
        BackendSet set = new BackendSet();
        for (int i = 0; i < size; i++) {
            set.add(new Backend("b" + i, new InetSocketAddress("127.0.0.1", 9000 + i), 1, true, now.get()));
        }
        return set;
    }
}
