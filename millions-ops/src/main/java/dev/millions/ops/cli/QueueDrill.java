package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.jdbc.ReplicatedDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "queue", mixinStandardHelpOptions = true,
        description = { "Write posts and deletions through the running system for a fixed time, with photos whose "
                        + "pixels cannot be decoded among them, while killing with SIGKILL, one after the other: the "
                        + "leader of a partition of posts, a worker, the node whose relay publishes the outbox, "
                        + "and the database primary. Then check every acknowledged event by its effects (counted as "
                        + "rows, not messages): each post in every follower's feed exactly once and its thumbnails "
                        + "made, each deleted post in no feed, and the poison, and only it, dead-lettered." },
        footer = { "", "Needs the queue stage: ./millions up queue -d",
                   "It ends with: queue: lost L of N acknowledged events, duplicated D effects, max stall X ms, "
                   + "dead-lettered D (poison P)" })
final class QueueDrill implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration OBSERVE_EVERY = Duration.ofMillis(200);

    @Option(names = "--duration", defaultValue = "120s", paramLabel = "TIME", converter = TimeConverter.class,
            description = "How long to write (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--writers", defaultValue = "4", description = "Writing clients (default: ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--rate", defaultValue = "20", description = "Posts a second, all writers together (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--users", defaultValue = "40", description = "Users, each following five (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--poison", defaultValue = "5", description = "Photos that cannot be decoded (default: ${DEFAULT-VALUE}).")
    int poison;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (duration.toSeconds() < 20 || writers < 1 || writers > 64 || users < 6 || users > 10_000 || poison < 0
            || poison > 100 || rate < 1 || rate > 10_000) {
            err.println("error: --duration " + duration.toSeconds() + "s, --writers " + writers + ", --users " + users
                        + ", --poison " + poison + ", --rate " + rate
                        + " (expected: >= 20s, 1..64, 6..10000, 0..100, 1..10000)");
            return ExitCodes.USAGE;
        }
        Optional<QueueStage> stage = QueueStage.find(runFolderOption, err, "drill");
        if (stage.isEmpty()) {
            return ExitCodes.NOT_RUNNING;
        }
        RunningSystem system = stage.get().system();
        long startMillis = System.currentTimeMillis();
        Random random = new Random(startMillis);
        QueueDrillLoad load = new QueueDrillLoad(URI.create(system.entry().url()),
                                                 QueueStage.usernamePrefix('d', startMillis));
        load.setUp(users, random);
        load.postPoison(poison, random);
        out.printf("queue drill: %d users, %d writers, %d posts/s for %d s through %s; %d poison photos%n", users, writers,
                   rate, duration.toSeconds(), system.entry().name(), poison);
        out.flush();
        List<Fault> plan = List.of(new Fault("leader of posts-0", QueueDrillFaults::partitionLeader),
                                   new Fault("a worker", QueueDrillFaults::worker),
                                   new Fault("the relay's node", QueueDrillFaults::relay),
                                   new Fault("the database primary", QueueDrillFaults::primary));
        try (QueueDrillFaults faults = new QueueDrillFaults(system.runFolder(), stage.get().kafka(),
                                                           stage.get().clusterFile());
             ReplicatedDataSource database = DbFailoverDrill.database(system.runFolder(), stage.get().clusterFile(), 2,
                                                                        Duration.ofSeconds(30));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            QueueEffects effects = new QueueEffects(database);
            long startNanos = System.nanoTime();
            long endNanos = startNanos + duration.toNanos();
            List<Future<?>> writing = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Random own = new Random(random.nextLong());
                writing.add(threads.submit(() -> {
                    load.write(endNanos, 1_000_000_000L * writers / rate, own);
                    return null;
                }));
            }
            Future<?> observing = threads.submit(() -> {
                observe(effects, load, endNanos + SETTLE_TIMEOUT.toNanos());
                return null;
            });
            List<Long> faultNanos = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                long at = startNanos + duration.toNanos() * (i + 1) / (plan.size() + 1);
                Thread.sleep(Math.max(0, (at - System.nanoTime()) / 1_000_000));
                faultNanos.add(plan.get(i).inject(faults, out, startNanos));
            }
            for (Future<?> writer : writing) {
                writer.get();
            }
            QueueEffects.Verdict verdict = settle(effects, load);
            observing.cancel(true);
            long maxStall = stall(effects, load, Long.MIN_VALUE, faultNanos.getFirst());
            out.printf("before any fault: max stall %d ms%n", maxStall);
            for (int i = 0; i < plan.size(); i++) {
                long from = faultNanos.get(i);
                long to = i + 1 < plan.size() ? faultNanos.get(i + 1) : Long.MAX_VALUE;
                long stall = stall(effects, load, from, to);
                maxStall = Math.max(maxStall, stall);
                out.printf("after SIGKILL to %s: max stall %d ms (acknowledgement to effect, effects until the next "
                           + "fault); no effect for %d ms while posts waited%n", plan.get(i).what, stall,
                           standstill(effects, load, from, to));
            }
            maxStall = Math.max(maxStall, stall(effects, load, Long.MIN_VALUE, Long.MAX_VALUE));
            Path timeline = writeTimeline(system.runFolder().benchReport("queue-drill"), effects, load, startNanos,
                                          plan, faultNanos);
            out.printf("every post's acknowledgement and effect, in ms from the start: %s%n", timeline);
            List<ConsumerRecord<String, byte[]>> dead = deadLettersSince(stage.get().kafka().address(), startMillis);
            long poisoned = dead.stream().filter(letter -> load.poison().contains(postId(letter))).count();
            long acknowledged = load.posts().keySet().stream().filter(id -> !load.poison().contains(id)).count()
                                + load.deletions().size();
            long duplicated = verdict.duplicated() + verdict.stray();
            out.printf("writes: %d posts and %d deletions acknowledged, %d requests failed (not acknowledged); "
                       + "%d events waiting still (outbox, retries)%n", load.posts().size(), load.deletions().size(),
                       load.failed(), verdict.backlog());
            out.printf("queue: lost %d of %d acknowledged events, duplicated %d effects, max stall %d ms, "
                       + "dead-lettered %d (poison %d)%n", verdict.lost(), acknowledged, duplicated, maxStall,
                       dead.size(), poisoned);
            boolean passed = verdict.lost() == 0 && duplicated == 0 && verdict.backlog() == 0 && dead.size() == poisoned
                             && poisoned == poison;
            return passed ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private static void observe(QueueEffects effects, QueueDrillLoad load, long untilNanos) throws InterruptedException {
        while (System.nanoTime() < untilNanos) {
            try {
                effects.observe(load.posts().values());
            } catch (SQLException e) {
                // The primary is failing over; the next look finds the effects that were made meanwhile.
            }
            Thread.sleep(OBSERVE_EVERY);
        }
    }

    /** Waits until every acknowledged event has its effects and nothing waits in the outbox or the retries. */
    private static QueueEffects.Verdict settle(QueueEffects effects, QueueDrillLoad load) throws Exception {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        QueueEffects.Verdict verdict = null;
        while (System.nanoTime() < deadline) {
            try {
                verdict = effects.check(load.posts().keySet(), load.deletions(), load.poison());
                if (verdict.settled()) {
                    return verdict;
                }
            } catch (SQLException e) {
                // Failing over still.
            }
            Thread.sleep(1_000);
        }
        return verdict != null ? verdict : effects.check(load.posts().keySet(), load.deletions(), load.poison());
    }

    /**
     * The longest wait from a post's acknowledgement to its effects, among effects seen in [from, to): a
     * post acknowledged just before a fault and held up by it counts for that fault, and a post held up
     * by the next fault counts for the next one.
     */
    private static long stall(QueueEffects effects, QueueDrillLoad load, long fromNanos, long toNanos) {
        long worst = 0;
        for (QueueDrillLoad.Post post : load.posts().values()) {
            Optional<Long> seen = effects.effectNanos(post.id());
            if (seen.isPresent() && seen.get() >= fromNanos && seen.get() < toNanos && !load.poison().contains(post.id())) {
                worst = Math.max(worst, (seen.get() - post.acknowledgedNanos()) / 1_000_000);
            }
        }
        return worst;
    }

    /**
     * The longest time after {@code fromNanos} (until {@code toNanos}) in which no post's effects appeared
     * while an acknowledged post waited for its own: how long the pipeline stood still, as against how
     * long a post waited behind others (a backlog that workers at full capacity drain slowly). Effects are
     * looked for every {@link #OBSERVE_EVERY}, so this is known to about that.
     */
    private static long standstill(QueueEffects effects, QueueDrillLoad load, long fromNanos, long toNanos) {
        List<long[]> waits = new ArrayList<>();
        TreeSet<Long> seen = new TreeSet<>();
        for (QueueDrillLoad.Post post : load.posts().values()) {
            Optional<Long> effect = effects.effectNanos(post.id());
            if (effect.isPresent() && !load.poison().contains(post.id())) {
                waits.add(new long[] { post.acknowledgedNanos(), effect.get() });
                if (effect.get() >= fromNanos && effect.get() < toNanos) {
                    seen.add(effect.get());
                }
            }
        }
        long worst = 0;
        long previous = fromNanos;
        for (long next : seen) {
            long start = previous;
            if (waits.stream().anyMatch(wait -> wait[0] <= start && wait[1] >= next)) {
                worst = Math.max(worst, next - start);
            }
            previous = next;
        }
        return worst / 1_000_000;
    }

    /**
     * Writes {@code timeline.csv}: a line per acknowledged post (when it was acknowledged, when its
     * effects were seen, empty if never) and a line per fault, so that a stall can be told apart from
     * the backlog behind it.
     */
    private static Path writeTimeline(Path folder, QueueEffects effects, QueueDrillLoad load, long startNanos,
                                      List<Fault> plan, List<Long> faultNanos) throws IOException {
        List<String> lines = new ArrayList<>(List.of("kind,post,acknowledged_ms,effect_ms"));
        for (int i = 0; i < faultNanos.size(); i++) {
            lines.add("fault," + plan.get(i).what + ',' + (faultNanos.get(i) - startNanos) / 1_000_000 + ',');
        }
        load.posts().values().stream().sorted(Comparator.comparingLong(QueueDrillLoad.Post::acknowledgedNanos))
            .forEach(post -> lines.add((load.poison().contains(post.id()) ? "poison," : "post,") + post.id() + ','
                                       + (post.acknowledgedNanos() - startNanos) / 1_000_000 + ','
                                       + effects.effectNanos(post.id()).map(at -> Long.toString((at - startNanos) / 1_000_000))
                                                .orElse("")));
        Files.createDirectories(folder);
        return Files.write(folder.resolve("timeline.csv"), lines);
    }

    private static List<ConsumerRecord<String, byte[]>> deadLettersSince(String bootstrap, long startMillis) {
        try (DeadLetters letters = new DeadLetters(bootstrap)) {
            return letters.all().stream().filter(letter -> letter.timestamp() >= startMillis).toList();
        }
    }

    private static long postId(ConsumerRecord<String, byte[]> letter) {
        try {
            return JSON.readTree(letter.value()).path("postId").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** One fault of the plan: what it kills, found when it is its turn. */
    private record Fault(String what, Function<QueueDrillFaults, String> target) {

        /**
         * Finds the victim and kills it; returns when the signal went. Finding it asks Kafka or every node's
         * metrics, which takes a while on a busy machine, so the fault's time is taken after.
         */
        long inject(QueueDrillFaults faults, PrintWriter out, long startNanos) {
            try {
                String node = target.apply(faults);
                long at = System.nanoTime();
                faults.kill(node);
                out.printf("%.1f s: SIGKILL to %s (%s)%n", (at - startNanos) / 1e9, node, what);
                return at;
            } catch (RuntimeException e) {
                long at = System.nanoTime();
                out.printf("%.1f s: no SIGKILL to %s: %s%n", (at - startNanos) / 1e9, what, e.getMessage());
                return at;
            } finally {
                out.flush();
            }
        }
    }
}
