package dev.millions.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class FailureDetectorTest {

    private final AtomicLong nanos = new AtomicLong();
    private final FailureDetector detector = new FailureDetector(3, Duration.ofMillis(500), nanos::get);

    @Test
    void singleMissedProbe_onlySuspects() {
        advance(1_000);
        detector.failure();
        assertThat(detector.suspected()).isTrue();
        assertThat(detector.confirmedDead()).isFalse();
    }

    @Test
    void fastFailures_withinTheWindow_doNotConfirm() {
        for (int i = 0; i < 10; i++) {
            advance(10);
            detector.failure();
        }
        assertThat(detector.confirmedDead()).isFalse();
    }

    @Test
    void enoughMisses_spanningTheWindow_confirm() {
        for (int i = 0; i < 5; i++) {
            advance(100);
            detector.failure();
        }
        assertThat(detector.confirmedDead()).isTrue();
        assertThat(detector.millisSinceSuccess()).isEqualTo(500);
    }

    @Test
    void successInBetween_startsAfresh() {
        advance(400);
        detector.failure();
        detector.failure();
        detector.success();
        advance(400);
        detector.failure();
        assertThat(detector.confirmedDead()).isFalse();
        assertThat(detector.suspected()).isTrue();
    }

    @Test
    void aLongSilence_withFewProbes_doesNotConfirm() {
        advance(5_000);
        detector.failure();
        detector.failure();
        assertThat(detector.confirmedDead()).isFalse();
    }

    @Test
    void oneMiss_isRefusedAsAThreshold() {
        assertThatThrownBy(() -> new FailureDetector(1, Duration.ofMillis(500), nanos::get))
                .hasMessage("misses: 1 (expected: >= 2)");
    }

    private void advance(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
