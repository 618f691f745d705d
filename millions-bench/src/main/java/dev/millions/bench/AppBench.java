package dev.millions.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.millions.bench.fault.DelayRelay;
import dev.millions.bench.fault.FaultAction;
import dev.millions.bench.fault.FaultEvent;
import dev.millions.bench.fault.FaultException;
import dev.millions.bench.fault.FaultScheduler;
import dev.millions.bench.fault.FaultSpec;
import dev.millions.bench.fault.FaultTarget;
import dev.millions.bench.history.CheckReport;
import dev.millions.bench.history.History;
import dev.millions.bench.history.HistoryChecker;
import dev.millions.bench.load.LoadGenerator;
import dev.millions.bench.load.Recorder;
import dev.millions.bench.report.RunReport;
import dev.millions.bench.workload.PhotoAppWorkload;

/**
 * One bench of the photo app: set up users and posts, run the load with its faults, check the
 * history, and write the report. Its exit status is non-zero when an acknowledged write is lost, a
 * client missed its own write, or a fault could not be injected.
 */
public final class AppBench {

    private static final long FAULT_COMPLETION_MILLIS = 60_000;
    private static final int MAX_IN_FLIGHT = 10_000;
    private static final Duration VERIFY_DEADLINE = Duration.ofSeconds(60);

    private AppBench() {}

    /** Runs the plan and returns 0 when everything checked out, 1 otherwise. */
    public static int run(AppBenchPlan plan, Optional<Probing> probing, FaultTarget target, PrintWriter out)
            throws IOException, InterruptedException {
        FaultScheduler scheduler = null;
        boolean delays = plan.faults().stream().anyMatch(f -> f.action() == FaultAction.DELAY);
        checkDelaysTargetEntry(plan, target);
        try (DelayRelay relay = delays ? DelayRelay.start(address(plan.entry())) : null) {
            URI base = relay == null ? plan.entry()
                                     : URI.create("http://127.0.0.1:" + relay.address().getPort() + '/');
            FaultTarget faults = relay == null ? target : withRelay(target, relay);
            scheduler = new FaultScheduler(plan.faults(), faults);
            scheduler.validate();
            History history = new History();
            String tag = "b" + Long.toString(System.currentTimeMillis() % 78_364_164_096L, 36);
            out.printf("setting up %d users, their posts and follows through %s ...%n", plan.users(), plan.entry());
            out.flush();
            long setupStart = System.nanoTime();
            PhotoAppWorkload workload = PhotoAppWorkload.prepare(base, plan.mix(), plan.users(), plan.skew(),
                                                                 plan.seed(), tag, plan.requestTimeout(),
                                                                 plan.freshConnectionPercent(), history);
            if (probing.isPresent()) {
                Optional<AppBenchPlan> probed = probing.get().plan(plan, workload.operations(),
                                                                   List.of(new Probing.Mode("", () -> { })), out);
                if (probed.isEmpty()) {
                    return 1;
                }
                plan = probed.get();
            }
            out.printf("%d users and %d posts ready in %d ms; running %s for %d s (%d s warm-up)%s%n",
                       workload.users(), workload.posts(), (System.nanoTime() - setupStart) / 1_000_000,
                       plan.schedule().describe(), plan.duration().toSeconds(), plan.warmup().toSeconds(),
                       plan.faults().isEmpty() ? "" : " with faults " + plan.faults());
            out.flush();
            long zero = System.nanoTime() + 100_000_000L;
            Recorder recorder = new Recorder(zero, plan.warmup().toNanos());
            scheduler.start(zero);
            int stuck = LoadGenerator.of(plan.schedule(), plan.duration(), plan.seed(), MAX_IN_FLIGHT,
                                         plan.requestTimeout().plusSeconds(5))
                                     .run(workload.operations(), recorder);
            // A restart can outlast the load (a cold JVM on a busy machine): its outcome is still the run's.
            scheduler.await(FAULT_COMPLETION_MILLIS);
            List<FaultEvent> events = scheduler.events();
            out.println("checking every acknowledged write ...");
            out.flush();
            CheckReport check = HistoryChecker.check(history, workload.lookup(System.nanoTime()
                                                                               + VERIFY_DEADLINE.toNanos()));
            double measured = (plan.duration().toNanos() - plan.warmup().toNanos()) / 1e9;
            RunReport report = new RunReport("millions bench: " + plan.mix().id() + " on " + plan.topology(),
                                             settings(plan, base, tag), recorder, events, check, measured);
            Path folder = plan.reports();
            Path html = report.write(folder);
            out.println();
            out.print(report.table());
            if (stuck > 0) {
                out.printf("%d operations were still running when the run ended; they are not counted%n", stuck);
            }
            out.printf("%nreport: %s%n", html);
            boolean faultsDone = events.size() == plan.faults().size() && events.stream().allMatch(FaultEvent::done);
            if (!faultsDone) {
                out.println("FAILED: not every fault was injected (see above)");
            }
            if (!check.passed()) {
                out.println("FAILED: " + check.verdict());
            }
            out.flush();
            return faultsDone && check.passed() ? 0 : 1;
        } finally {
            if (scheduler != null) {
                scheduler.close();
            }
        }
    }

    private static void checkDelaysTargetEntry(AppBenchPlan plan, FaultTarget target) {
        for (FaultSpec fault : plan.faults()) {
            if (fault.action() == FaultAction.DELAY && !target.resolve(fault.node()).equals(plan.entryNode())) {
                throw new FaultException("fault " + fault + ": a delay works on the node the bench sends to ("
                                         + plan.entryNode() + "), through a relay of the bench's own; this kernel has"
                                         + " no netem to slow other nodes");
            }
        }
    }

    /** Delays are the relay's job; every other fault goes to the system. */
    private static FaultTarget withRelay(FaultTarget target, DelayRelay relay) {
        return new FaultTarget() {
            @Override
            public String resolve(String nameOrRole) {
                return target.resolve(nameOrRole);
            }

            @Override
            public String inject(FaultAction action, String node, Duration argument) {
                if (action != FaultAction.DELAY) {
                    return target.inject(action, node, argument);
                }
                relay.delay(argument);
                return argument.isZero() ? "answers from " + node + " no longer delayed"
                                         : "answers from " + node + " delayed by " + argument.toMillis() + " ms";
            }
        };
    }

    private static Map<String, String> settings(AppBenchPlan plan, URI base, String tag) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("topology", plan.topology());
        settings.put("entry", plan.entry() + " (" + plan.entryNode() + ')' + (base.equals(plan.entry()) ? ""
                                                                               : " through relay " + base));
        settings.put("mix", plan.mix().id() + " (" + plan.mix().writePercent() + " % writes), Zipf s=" + plan.skew());
        settings.put("load", plan.schedule().describe() + (plan.freshConnectionPercent() == 0 ? ""
                : ", " + plan.freshConnectionPercent() + " % of requests on a new connection each"));
        settings.put("duration", plan.duration().toSeconds() + " s, warm-up " + plan.warmup().toSeconds() + " s");
        settings.put("users", plan.users() + " (names " + tag + "_N)");
        settings.put("seed", Long.toString(plan.seed()));
        settings.put("faults", plan.faults().isEmpty() ? "none" : plan.faults().toString());
        return settings;
    }

    private static InetSocketAddress address(URI uri) {
        return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
    }
}
