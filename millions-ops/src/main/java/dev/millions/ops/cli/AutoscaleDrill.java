package dev.millions.ops.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;

import dev.millions.ops.node.Installation;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.ControlClient;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "autoscale", mixinStandardHelpOptions = true,
        description = { "Autoscale the web nodes by requests in flight, apply a load step through the load balancer "
                        + "(--clients readers, each sending its next request when the last is answered), wait for the "
                        + "autoscaler to add a node, drop the load to one reader, and wait for it to take the node away "
                        + "again; every request is counted, and any that failed is a failure of the drill. Needs a "
                        + "stage with a load balancer (./millions up lb -d, or stateless). The autoscaler is turned "
                        + "off at the end; the nodes stay as it left them." },
        footer = { "", "Ends with: autoscale: scaled out to N in X s after the step, back to M in Y s, failed F of R requests" })
final class AutoscaleDrill implements Callable<Integer> {

    /** A scale-out starts a JVM on a machine the step keeps busy: minutes, on a slow one. */
    private static final Duration DEADLINE = Duration.ofMinutes(6);

    @Option(names = "--clients", defaultValue = "24", description = "Readers during the step (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--target", defaultValue = "2", description = "Requests in flight per web node that the "
                                                                  + "autoscaler holds to (default: ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--scale-down-window", defaultValue = "20s", converter = TimeConverter.class,
            description = "The autoscaler's scale-down window (default: ${DEFAULT-VALUE}).")
    Duration scaleDownWindow;

    @Option(names = "--cooldown", defaultValue = "10s", converter = TimeConverter.class,
            description = "The autoscaler's cooldown after a change (default: ${DEFAULT-VALUE}).")
    Duration cooldown;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                              .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (clients < 2 || clients > 256 || target <= 0) {
            err.println("error: --clients " + clients + ", --target " + target + " (expected: 2..256, > 0)");
            return ExitCodes.USAGE;
        }
        RunFolder runFolder = runFolderOption.runFolder(Installation.detect());
        List<NodeState> nodes = RunState.read(runFolder.stateFile()).map(RunState::nodes).orElse(List.of());
        Optional<NodeState> balancer = nodes.stream().filter(node -> node.role().equals("lb") && node.url() != null)
                                            .findFirst();
        if (balancer.isEmpty()) {
            err.println("error: no load balancer runs from " + runFolder.root()
                        + "; start a stage with one: `./millions up lb -d` (or stateless)");
            return ExitCodes.NOT_RUNNING;
        }
        int before = webNodes(runFolder, true);
        ControlClient control = new ControlClient(runFolder);
        out.println(control.autoscale("web", policy(before)));
        String profile = balancer.get().url() + "api/users/" + DrillUsers.signUp(http, balancer.get().url(), "autoscale");
        Load baseline = new Load(profile, 1);
        Load step = new Load(profile, clients - 1);
        long stepAt = System.nanoTime();
        int scaledOut;
        long outNanos;
        long inNanos;
        try {
            out.printf("load step: %d readers of %s%n", clients, profile);
            scaledOut = awaitNodes(runFolder, true, count -> count > before, "a web node added", step);
            outNanos = System.nanoTime() - stepAt;
            out.printf("scaled out to %d web nodes %.1f s after the step; load drops to one reader%n", scaledOut,
                       outNanos / 1e9);
            step.stop();
            long dropAt = System.nanoTime();
            awaitNodes(runFolder, false, count -> count <= before, "back to " + before + " web nodes", baseline);
            inNanos = System.nanoTime() - dropAt;
        } finally {
            step.stop();
            baseline.stop();
            control.autoscaleOff("web");
        }
        long requests = step.total() + baseline.total();
        long failed = step.failed.sum() + baseline.failed.sum();
        Optional.ofNullable(step.lastFailure.get()).or(() -> Optional.ofNullable(baseline.lastFailure.get()))
                .ifPresent(why -> out.println("last failure: " + why));
        out.printf("autoscale: scaled out to %d in %.1f s after the step, back to %d in %.1f s, failed %d of %d requests%n",
                   scaledOut, outNanos / 1e9, before, inNanos / 1e9, failed, requests);
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private Map<String, Object> policy(int nodes) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("min", nodes);
        policy.put("max", nodes + 1);
        policy.put("metric", "in-flight");
        policy.put("target", target);
        policy.put("scaleUpWindowSeconds", 0);
        policy.put("scaleDownWindowSeconds", scaleDownWindow.toMillis() / 1000.0);
        policy.put("cooldownSeconds", cooldown.toMillis() / 1000.0);
        return policy;
    }

    /**
     * The web nodes in {@code state.json} now: those ready, or every one still there (one being drained
     * and stopped is there until it has stopped).
     */
    private static int webNodes(RunFolder runFolder, boolean readyOnly) {
        return RunState.read(runFolder.stateFile()).map(state -> (int) state.nodes().stream()
                .filter(node -> node.role().equals("web") && (!readyOnly || node.status() == NodeStatus.READY))
                .count()).orElse(0);
    }

    private static int awaitNodes(RunFolder runFolder, boolean readyOnly, IntPredicate done, String what, Load load)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int count;
        while (!done.test(count = webNodes(runFolder, readyOnly))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not within " + DEADLINE.toMinutes() + " min (web nodes "
                                                + count + "; " + load.total() + " requests, " + load.failed.sum()
                                                + " failed); see `millions autoscale` and the supervisor's log");
            }
            Thread.sleep(100);
        }
        return count;
    }

    /** Readers in a closed loop, each sending its next request when the last is answered, counting failures. */
    private final class Load {
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
        final AtomicReference<String> lastFailure = new AtomicReference<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(String url, int readers) {
            for (int i = 0; i < readers; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
                            if (answer.statusCode() == 200) {
                                ok.increment();
                            } else {
                                fail("HTTP " + answer.statusCode());
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (Exception e) {
                            fail(e.toString());
                        }
                    }
                }));
            }
        }

        private void fail(String why) {
            failed.increment();
            lastFailure.set(why);
        }

        long total() {
            return ok.sum() + failed.sum();
        }

        /** Stops sending; a request under way is answered and counted first. */
        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }
}
