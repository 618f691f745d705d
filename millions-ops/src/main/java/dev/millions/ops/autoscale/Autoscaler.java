package dev.millions.ops.autoscale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.common.admin.AdminResponse;
import dev.millions.common.admin.AdminServer;
import dev.millions.ops.dashboard.Dashboard;
import dev.millions.ops.dashboard.RoleMetric;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;
import dev.millions.ops.supervisor.Timeline;

/**
 * Scales roles by their metrics, once a second after the dashboard's scrape: for each role with a
 * policy, the metric's average over the role's ready nodes goes to its {@link ScaleRecommender}, and
 * a new count is applied through the supervisor's scale (new web nodes join the load balancer once
 * ready, surplus ones are drained first; workers join or leave their consumer group). One change at
 * a time per role: while one runs, the role is not decided. Every decision is logged and put on the
 * timeline.
 */
public final class Autoscaler implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(Autoscaler.class);

    /** Applies a count to a role: the supervisor's scale. */
    @FunctionalInterface
    public interface Scaler {
        void scale(String role, int count);
    }

    private final Metrics metrics;
    private final ToIntFunction<String> counts;
    private final Scaler scaler;
    private final Timeline timeline;
    private final LongSupplier nanos;
    private final ExecutorService changes = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, ScaleRecommender> recommenders = new LinkedHashMap<>();
    private final Map<String, String> lastDecision = new LinkedHashMap<>();
    private final Map<String, Boolean> changing = new LinkedHashMap<>();

    /** A role's metric, averaged over its ready nodes; empty while none reports it. */
    @FunctionalInterface
    interface Metrics {
        OptionalDouble average(String role, RoleMetric metric);
    }

    Autoscaler(Metrics metrics, ToIntFunction<String> counts, Scaler scaler, Timeline timeline, LongSupplier nanos) {
        this.metrics = metrics;
        this.counts = counts;
        this.scaler = scaler;
        this.timeline = timeline;
        this.nanos = nanos;
    }

    /** An autoscaler that decides after each of the dashboard's scrapes, counting nodes in {@code state.json}. */
    public static Autoscaler start(Dashboard dashboard, RunFolder runFolder, Scaler scaler, Timeline timeline) {
        ToIntFunction<String> counts = role -> RunState.read(runFolder.stateFile()).map(state -> (int) state.nodes().stream()
                .filter(node -> node.role().equals(role) && node.status() != NodeStatus.STOPPING
                                && node.status() != NodeStatus.STOPPED).count()).orElse(0);
        Autoscaler autoscaler = new Autoscaler(dashboard::average, counts, scaler, timeline, System::nanoTime);
        dashboard.afterEachTick(autoscaler::decide);
        return autoscaler;
    }

    /** Adds its routes to the control API: {@code GET /autoscale}, {@code POST /autoscale/ROLE[/off]}. */
    public void routes(AdminServer.Builder routes) {
        routes.secured("GET", "/autoscale", request -> AdminResponse.ok(describe()))
              .secured("POST", "/autoscale/{role}", request -> {
                  AutoscalePolicy policy = AutoscalePolicy.of(request.parameter("role"), request.json());
                  return AdminResponse.ok(Map.of("detail", set(policy)));
              })
              .secured("POST", "/autoscale/{role}/off", request -> AdminResponse.ok(Map.of("detail",
                                                                                           off(request.parameter("role")))));
    }

    /**
     * @throws IllegalArgumentException when no node of the role runs: there is nothing to scale
     */
    synchronized String set(AutoscalePolicy policy) {
        if (counts.applyAsInt(policy.role()) == 0) {
            throw new IllegalArgumentException("no node of role '" + policy.role() + "' runs here: nothing to autoscale");
        }
        recommenders.put(policy.role(), new ScaleRecommender(policy));
        String detail = "autoscaling " + policy.role() + ": " + policy.min() + ".." + policy.max() + " nodes, "
                        + policy.metric().id() + " " + policy.target() + " per node";
        timeline.action(policy.role(), detail);
        logger.info("{}", detail);
        return detail;
    }

    synchronized String off(String role) {
        String detail = recommenders.remove(role) == null ? "no autoscaling of " + role + " to stop"
                                                          : "autoscaling of " + role + " stopped";
        timeline.action(role, detail);
        return detail;
    }

    synchronized List<Map<String, Object>> describe() {
        List<Map<String, Object>> all = new ArrayList<>();
        recommenders.forEach((role, recommender) -> {
            Map<String, Object> entry = new LinkedHashMap<>(recommender.policy().toJson());
            entry.put("nodes", counts.applyAsInt(role));
            entry.put("lastDecision", lastDecision.get(role));
            all.add(entry);
        });
        return all;
    }

    /** Whether a change of the role is under way. */
    synchronized boolean isChanging(String role) {
        return changing.getOrDefault(role, false);
    }

    /** One round: each role with a policy and no change under way is decided. */
    synchronized void decide() {
        long now = nanos.getAsLong();
        recommenders.forEach((role, recommender) -> {
            if (changing.getOrDefault(role, false)) {
                return;
            }
            AutoscalePolicy policy = recommender.policy();
            OptionalDouble value = metrics.average(role, policy.metric());
            if (value.isEmpty()) {
                return;
            }
            int current = counts.applyAsInt(role);
            int wanted = recommender.recommend(now, current, value.getAsDouble());
            if (wanted == current) {
                return;
            }
            String decision = String.format("%s %d -> %d: %s %.2f per node against a target of %.2f", role, current,
                                            wanted, policy.metric().id(), value.getAsDouble(), policy.target());
            lastDecision.put(role, decision);
            changing.put(role, true);
            logger.info("autoscale {}", decision);
            timeline.action(role, "autoscale " + decision);
            changes.submit(() -> apply(role, wanted, recommender));
        });
    }

    private void apply(String role, int count, ScaleRecommender recommender) {
        String outcome;
        try {
            scaler.scale(role, count);
            outcome = role + " scaled to " + count;
        } catch (RuntimeException e) {
            outcome = "scaling " + role + " to " + count + " failed: " + e.getMessage();
            logger.warn("autoscale {}", outcome, e);
        }
        synchronized (this) {
            recommender.changed(nanos.getAsLong());
            changing.put(role, false);
            timeline.action(role, "autoscale: " + outcome);
        }
    }

    @Override
    public void close() {
        changes.shutdownNow();
    }
}
