package dev.millions.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionWorkTest {

    private static final TopicPartition SLOW = new TopicPartition("posts", 0);
    private static final TopicPartition FAST = new TopicPartition("posts", 1);

    @Test
    void aPartitionInWork_doesNotHoldUpAnother_andIsTakenOnceItEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (PartitionWork work = new PartitionWork(2)) {
            work.start(SLOW, () -> {
                awaitQuietly(release);
                return handledUpTo(7);
            });
            work.start(FAST, () -> handledUpTo(3));

            Map<TopicPartition, PartitionWork.Handled> first = waitForAny(work);

            assertThat(first).containsOnlyKeys(FAST);
            assertThat(first.get(FAST).done()).contains(new OffsetAndMetadata(3));
            assertThat(work.isEmpty()).as("the slow partition still in work").isFalse();
            release.countDown();
            assertThat(work.await(List.of(SLOW, FAST))).containsOnlyKeys(SLOW);
            assertThat(work.isEmpty()).isTrue();
        }
    }

    @Test
    void aHoldFound_isGivenWithTheOffsetToReadAgain() {
        Instant due = Instant.parse("2026-12-03T10:00:00Z");
        try (PartitionWork work = new PartitionWork(1)) {
            work.start(SLOW, () -> new PartitionWork.Handled(Optional.empty(),
                                                             Optional.of(new PartitionWork.Hold(5, due))));

            assertThat(work.await(List.of(SLOW)).get(SLOW).hold()).contains(new PartitionWork.Hold(5, due));
        }
    }

    @Test
    void workThatFails_namesItsPartition() {
        try (PartitionWork work = new PartitionWork(1)) {
            work.start(SLOW, () -> {
                throw new OutOfMemoryError("a photo too large");
            });

            assertThatThrownBy(() -> work.await(List.of(SLOW))).isInstanceOf(IllegalStateException.class)
                                                               .hasMessageContaining("posts-0")
                                                               .hasMessageContaining("a photo too large");
        }
    }

    @Test
    void concurrencyBelowOne_isRefused() {
        assertThatThrownBy(() -> new PartitionWork(0)).hasMessage("concurrency: 0 (expected: >= 1)");
    }

    private static PartitionWork.Handled handledUpTo(long offset) {
        return new PartitionWork.Handled(Optional.of(new OffsetAndMetadata(offset)), Optional.empty());
    }

    private static Map<TopicPartition, PartitionWork.Handled> waitForAny(PartitionWork work) {
        while (true) {
            Map<TopicPartition, PartitionWork.Handled> finished = work.finished();
            if (!finished.isEmpty()) {
                return finished;
            }
            Thread.onSpinWait();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
