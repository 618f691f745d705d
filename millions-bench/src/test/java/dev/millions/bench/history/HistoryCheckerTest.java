package dev.millions.bench.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.millions.bench.history.Lookup.Presence;

/** The checker against planted histories: a fake lookup is the system's state after the run. */
class HistoryCheckerTest {

    static final WriteKey POST_1 = new WriteKey("post", "1");
    static final WriteKey POST_2 = new WriteKey("post", "2");
    static final WriteKey POST_3 = new WriteKey("post", "3");

    @Test
    void everyAcknowledgedWritePresent_passes() throws InterruptedException {
        History history = new History();
        history.add(acked("alice", POST_1, 10));
        history.add(acked("bob", POST_2, 20));

        CheckReport report = HistoryChecker.check(history, present(Set.of(POST_1, POST_2)));

        assertThat(report.passed()).isTrue();
        assertThat(report.verdict()).startsWith("all 2 acknowledged writes present");
    }

    @Test
    void plantedLostWrite_isCaught() throws InterruptedException {
        History history = new History();
        history.add(acked("alice", POST_1, 10));
        history.add(acked("alice", POST_2, 20));

        CheckReport report = HistoryChecker.check(history, present(Set.of(POST_1)));

        assertThat(report.passed()).isFalse();
        assertThat(report.lost()).containsExactly(POST_2);
        assertThat(report.verdict()).startsWith("LOST 1 of 2 acknowledged writes");
    }

    @Test
    void plantedStaleRead_ofTheClientsOwnWrite_isCaught() throws InterruptedException {
        History history = new History();
        history.add(acked("alice", POST_1, 10));
        history.add(new Event.Read("alice", POST_1, false, 11, 12));

        CheckReport report = HistoryChecker.check(history, present(Set.of(POST_1)));

        assertThat(report.passed()).isFalse();
        assertThat(report.staleReads()).containsExactly(new CheckReport.StaleRead("alice", POST_1, 10, 11));
    }

    @Test
    void readThatStartedBeforeTheAck_orByAnotherClient_isNotStale() throws InterruptedException {
        History history = new History();
        history.add(acked("alice", POST_1, 10));
        history.add(new Event.Read("alice", POST_1, false, 5, 12));
        history.add(new Event.Read("bob", POST_1, false, 20, 21));

        CheckReport report = HistoryChecker.check(history, present(Set.of(POST_1)));

        assertThat(report.staleReads()).isEmpty();
        assertThat(report.readsChecked()).isZero();
    }

    @Test
    void failedAndUnknownWrites_thatAreAbsent_areCountedNotLost() throws InterruptedException {
        History history = new History();
        history.add(new Event.Write("alice", new WriteKey("post", null), WriteStatus.FAILED, 1, 2, "connect refused"));
        history.add(new Event.Write("alice", POST_3, WriteStatus.UNKNOWN, 3, 4, "timeout"));

        CheckReport report = HistoryChecker.check(history, present(Set.of(POST_3)));

        assertThat(report.passed()).isTrue();
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.unknown()).isEqualTo(1);
        assertThat(report.unknownPresent()).isEqualTo(1);
    }

    @Test
    void writesTheCheckerCannotReach_failTheCheck_withoutCountingAsLost() throws InterruptedException {
        History history = new History();
        history.add(acked("alice", POST_1, 10));

        CheckReport report = HistoryChecker.check(history, key -> Presence.UNREACHABLE);

        assertThat(report.passed()).isFalse();
        assertThat(report.lost()).isEmpty();
        assertThat(report.verdict()).startsWith("0 lost, but 1 of 1 acknowledged writes could not be checked");
    }

    private static Event.Write acked(String client, WriteKey key, long endNanos) {
        return new Event.Write(client, key, WriteStatus.ACKED, endNanos - 1, endNanos, null);
    }

    private static Lookup present(Set<WriteKey> keys) {
        Map<Boolean, Presence> answer = Map.of(true, Presence.PRESENT, false, Presence.ABSENT);
        return key -> answer.get(keys.contains(key));
    }
}
