package dev.millions.ops.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;


class TimelineTest {

    private final Timeline timeline = new Timeline(Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void aMembersLagChangingEverySecond_isNoEvent_butItsRoleChangingIs() {
        timeline.onChange(member("db-2", "replica, lag 0 B"));
        timeline.onChange(member("db-2", "replica, lag 120 B"));
        timeline.onChange(member("db-2", "primary"));

        assertThat(timeline.recent(10)).extracting(Timeline.Event::kind, Timeline.Event::text)
                                       .containsExactly(Tuple.tuple("node", "ready: replica, lag 0 B"),
                                                        Tuple.tuple("role", "replica -> primary"));
    }

    @Test
    void actions_areKept_newestLast_upToTheCapacity() {
        for (int i = 0; i < Timeline.CAPACITY + 5; i++) {
            timeline.action("web-1", "action " + i);
        }

        assertThat(timeline.recent(2)).extracting(Timeline.Event::text)
                                      .containsExactly("action " + (Timeline.CAPACITY + 3), "action " + (Timeline.CAPACITY + 4));
        assertThat(timeline.recent(Integer.MAX_VALUE)).hasSize(Timeline.CAPACITY);
        assertThat(timeline.recent(1).get(0).at()).isEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
    }

    private static NodeState member(String name, String detail) {
        return new NodeState(name, "postgres", NodeStatus.READY, 42, "1", "127.0.0.1:5432", null, null, detail, 0, null);
    }
}
