package dev.millions.ops.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.ops.dashboard.RoleMetric;
import dev.millions.ops.supervisor.Timeline;

class AutoscalerTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger nodes = new AtomicInteger(2);
    private volatile double inFlight = 1;
    private final List<Integer> applied = new CopyOnWriteArrayList<>();
    private final Timeline timeline = new Timeline(Clock.systemUTC());
    private final Autoscaler autoscaler = new Autoscaler((role, metric) -> OptionalDouble.of(inFlight),
                                                         role -> nodes.get(), (role, count) -> {
                                                             applied.add(count);
                                                             nodes.set(count);
                                                         }, timeline, nanos::get);

    @Test
    void aLoadStep_scalesOut_thenScalesInAfterTheWindow_andEveryDecisionIsOnTheTimeline() throws Exception {
        autoscaler.set(new AutoscalePolicy("web", 2, 3, RoleMetric.IN_FLIGHT, 2, Duration.ZERO, Duration.ofSeconds(10),
                                           Duration.ofSeconds(2)));
        inFlight = 5;
        decideAt(1);
        awaitApplied(1);
        assertThat(applied).containsExactly(3);

        inFlight = 0.2;
        for (int second = 2; second < 12; second++) {
            decideAt(second);
        }
        assertThat(applied).containsExactly(3);
        decideAt(13);
        awaitApplied(2);

        assertThat(applied).containsExactly(3, 2);
        assertThat(timeline.recent(10)).extracting(Timeline.Event::text).anyMatch(text -> text.startsWith(
                "autoscale web 2 -> 3: in-flight 5.00 per node against a target of 2.00"));
        assertThat(autoscaler.describe()).singleElement().satisfies(entry -> assertThat(entry)
                .containsEntry("nodes", 2).containsEntry("lastDecision",
                                                        "web 3 -> 2: in-flight 0.20 per node against a target of 2.00"));
    }

    @Test
    void aRoleWithNoNodes_isRefused() {
        Autoscaler empty = new Autoscaler((role, metric) -> OptionalDouble.of(1), role -> 0,
                                          (role, count) -> applied.add(count), timeline, nanos::get);

        assertThatThrownBy(() -> empty.set(new AutoscalePolicy("db", 1, 2, RoleMetric.CPU, 50, Duration.ZERO,
                                                               Duration.ZERO, Duration.ZERO)))
                .hasMessage("no node of role 'db' runs here: nothing to autoscale");
    }

    @Test
    void aRoleWithoutReadings_isNotDecided() {
        Autoscaler blind = new Autoscaler((role, metric) -> OptionalDouble.empty(), role -> 2,
                                          (role, count) -> applied.add(count), timeline, nanos::get);
        blind.set(new AutoscalePolicy("web", 3, 4, RoleMetric.CPU, 50, Duration.ZERO, Duration.ZERO, Duration.ZERO));

        blind.decide();

        assertThat(applied).isEmpty();
    }

    @Test
    void policy_fromJson_refusesWhatCannotBe_namingTheField() {
        ObjectMapper json = new ObjectMapper();

        assertThatThrownBy(() -> AutoscalePolicy.of("web", json.valueToTree(Map.of("min", 3, "max", 2, "target", 1))))
                .hasMessage("max: 2 (expected: 3..16)");
        assertThatThrownBy(() -> AutoscalePolicy.of("web", json.valueToTree(Map.of("min", 1, "max", 2, "target", 1,
                                                                                    "metric", "memory"))))
                .hasMessage("metric: memory (expected one of: cpu, in-flight, lag)");
        assertThatThrownBy(() -> AutoscalePolicy.of("web", json.valueToTree(Map.of("min", 1, "max", 2))))
                .hasMessageStartingWith("target: ").hasMessageEndingWith("(expected: a number)");
    }

    private void decideAt(long second) {
        nanos.set(second * SECOND);
        autoscaler.decide();
    }

    /** The change runs on a thread of its own, as the supervisor's scale takes seconds. */
    private void awaitApplied(int changes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (applied.size() < changes || autoscaler.describe().isEmpty() || changing()) {
            assertThat(System.nanoTime()).as("%s changes applied", changes).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private boolean changing() {
        return autoscaler.isChanging("web");
    }
}
