package dev.millions.ops.cli;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import dev.millions.ops.autoscale.Autoscaler;
import dev.millions.ops.dashboard.Dashboard;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.Supervisor;
import dev.millions.ops.supervisor.SupervisorControl;
import dev.millions.ops.supervisor.Timeline;
import dev.millions.ops.topology.Topology;

/**
 * Runs a system from this process until it is told to stop (Ctrl-C, SIGTERM from {@code down}), then
 * stops every node in reverse order before the JVM exits.
 */
final class Foreground {

    private static final long WATCH_INTERVAL_MILLIS = 1_000;

    private Foreground() {}

    static int run(Topology topology, RunFolder runFolder, boolean fresh, ConsoleProgress progress,
                   boolean detached) {
        Timeline timeline = new Timeline(Clock.systemUTC());
        Supervisor supervisor = new Supervisor(topology, runFolder, Installation.detect(), node -> {
            progress.node(node);
            timeline.onChange(node);
        });
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Ends a start that is still under way, then stops what runs.
            main.interrupt();
            supervisor.stop();
        }, "millions-shutdown"));
        long startNanos = System.nanoTime();
        try {
            supervisor.start(fresh);
        } catch (NodeStartException e) {
            progress.error((Thread.currentThread().isInterrupted() ? "stopped before " + topology.name() + " was up"
                                                                   : "could not start " + topology.name())
                           + "; every node started so far was stopped");
            return ExitCodes.FAILED;
        }
        try (Dashboard dashboard = Dashboard.start(topology, runFolder, timeline);
             Autoscaler autoscaler = Autoscaler.start(dashboard, runFolder,
                                                      (role, count) -> supervisor.scale(role, count, Map.of()), timeline);
             SupervisorControl control = SupervisorControl.start(supervisor, runFolder, timeline, routes -> {
                 dashboard.routes(routes);
                 autoscaler.routes(routes);
             })) {
            progress.ready(topology.name(), runFolder, supervisor.nodes(),
                           (System.nanoTime() - startNanos) / 1_000_000, detached);
            while (!Thread.currentThread().isInterrupted()) {
                supervisor.checkNodes();
                try {
                    Thread.sleep(WATCH_INTERVAL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } catch (IOException e) {
            progress.error("cannot open the supervisor's control API: " + e.getMessage() + "; stopping");
            supervisor.stop();
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
