package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.millions.bench.workload.PhotoAppClient;
import dev.millions.bench.workload.Reply;
import dev.millions.bench.workload.Zipfian;
import dev.millions.ops.supervisor.ControlClient;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "feed", mixinStandardHelpOptions = true,
        description = { "Measure the home feed before and after fan-out on write: it adds two web nodes, one that "
                        + "reads the feed by joining follows with posts (millions.feed.fan-out=false) and one that reads "
                        + "the fanned-out feed table, builds a Zipfian social graph with one author followed by most "
                        + "users, checks that both nodes show each sampled reader the same feed, then reads the feeds "
                        + "of Zipfian-chosen readers from each node in turn; then it removes the two nodes. "
                        + "Needs the queue stage: ./millions up queue -d" },
        footer = { "", "It ends with the line:",
                   "  feed: pull p50 A ms, p99 B ms (X reads/s); fan-out p50 C ms, p99 D ms (Y reads/s); p99 pull/fan-out R" })
final class FeedBenchCommand implements Callable<Integer> {

    private static final Duration AGREE_TIMEOUT = Duration.ofMinutes(3);
    private static final int SAMPLED_READERS = 20;
    private static final String FAN_OUT = "millions.feed.fan-out";

    @Option(names = "--users", defaultValue = "200", description = "Users in the graph (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--clients", defaultValue = "8", description = "Readers reading at once (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--duration", defaultValue = "20s", paramLabel = "TIME", converter = TimeConverter.class,
            description = "How long each node's feed is read (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "10s", paramLabel = "TIME", converter = TimeConverter.class,
            description = "Reading before it is measured, on each node, left out of the numbers (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (users < 20 || users > 100_000 || clients < 1 || clients > 256 || duration.toSeconds() < 1) {
            err.println("error: --users " + users + ", --clients " + clients + ", --duration " + duration.toSeconds()
                        + "s (expected: 20..100000, 1..256, >= 1s)");
            return ExitCodes.USAGE;
        }
        Optional<QueueStage> stage = QueueStage.find(runFolderOption, err, "bench");
        if (stage.isEmpty()) {
            return ExitCodes.NOT_RUNNING;
        }
        RunningSystem system = stage.get().system();
        long webNodes = system.state().nodes().stream().filter(node -> node.role().equals("web")).count();
        ControlClient control = new ControlClient(system.runFolder());
        long startMillis = System.currentTimeMillis();
        Random random = new Random(startMillis);
        try {
            control.scale("web", (int) webNodes + 1, Map.of(FAN_OUT, "false"));
            control.scale("web", (int) webNodes + 2, Map.of(FAN_OUT, "true"));
            List<NodeState> added = addedWebNodes(system, (int) webNodes);
            URI pull = URI.create(added.get(0).url());
            URI fanOut = URI.create(added.get(1).url());
            FeedGraph graph = new FeedGraph(URI.create(system.entry().url()), QueueStage.usernamePrefix('f', startMillis));
            graph.build(users, random);
            out.printf("feed bench: %d users, one author followed by %d, %d follows (Zipfian), %d posts; pull on %s, "
                       + "fan-out on %s%n", users, graph.popularFollowers(), graph.follows(), graph.posts(),
                       added.get(0).name(), added.get(1).name());
            out.flush();
            int agreeing = awaitAgreement(graph.sessions(), pull, fanOut, random);
            out.printf("feeds agree: %d of %d sampled readers see the same first page on both nodes%n", agreeing,
                       Math.min(SAMPLED_READERS, users));
            out.flush();
            Zipfian readers = Zipfian.of(users, FeedGraph.ZIPF_SKEW, random.nextLong());
            read(pull, graph.sessions(), readers, warmup, random);
            read(fanOut, graph.sessions(), readers, warmup, random);
            Reads pulled = read(pull, graph.sessions(), readers, duration, random);
            Reads fannedOut = read(fanOut, graph.sessions(), readers, duration, random);
            out.printf("feed: pull p50 %.1f ms, p99 %.1f ms (%d reads/s); fan-out p50 %.1f ms, p99 %.1f ms (%d reads/s); "
                       + "p99 pull/fan-out %.2f%n", pulled.millis(0.5), pulled.millis(0.99), pulled.perSecond(duration),
                       fannedOut.millis(0.5), fannedOut.millis(0.99), fannedOut.perSecond(duration),
                       pulled.millis(0.99) / fannedOut.millis(0.99));
            if (pulled.failed() + fannedOut.failed() > 0) {
                out.printf("failed reads: pull %d, fan-out %d%n", pulled.failed(), fannedOut.failed());
            }
            return ExitCodes.OK;
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        } finally {
            control.scale("web", (int) webNodes);
        }
    }

    private static List<NodeState> addedWebNodes(RunningSystem system, int before) {
        List<NodeState> web = RunState.read(system.runFolder().stateFile()).orElseThrow().nodes().stream()
                                      .filter(node -> node.role().equals("web")).toList();
        if (web.size() != before + 2) {
            throw new IllegalStateException("expected " + (before + 2) + " web nodes after adding two, found " + web.size());
        }
        return web.subList(before, before + 2);
    }

    /** Waits until sampled readers see the same first page on both nodes (the workers have caught up). */
    private static int awaitAgreement(List<String> sessions, URI pull, URI fanOut, Random random) throws Exception {
        PhotoAppClient pullClient = new PhotoAppClient(pull, Duration.ofSeconds(10), 0);
        PhotoAppClient fanOutClient = new PhotoAppClient(fanOut, Duration.ofSeconds(10), 0);
        List<String> sample = new ArrayList<>(sessions);
        Collections.shuffle(sample, random);
        sample = sample.subList(0, Math.min(SAMPLED_READERS, sample.size()));
        long giveUp = System.nanoTime() + AGREE_TIMEOUT.toNanos();
        while (true) {
            int agreeing = 0;
            for (String session : sample) {
                Reply pulled = pullClient.get("/api/feed", session);
                Reply fannedOut = fanOutClient.get("/api/feed", session);
                if (pulled.ok() && fannedOut.ok() && ids(pulled).equals(ids(fannedOut))) {
                    agreeing++;
                }
            }
            if (agreeing == sample.size() || System.nanoTime() > giveUp) {
                return agreeing;
            }
            Thread.sleep(500);
        }
    }

    private static List<Long> ids(Reply reply) throws IOException {
        List<Long> ids = new ArrayList<>();
        PhotoAppClient.parse(reply).path("items").forEach(item -> ids.add(item.path("id").asLong()));
        return ids;
    }

    /** {@code clients} closed loops reading Zipfian-chosen readers' first feed page for {@code duration}. */
    private Reads read(URI node, List<String> sessions, Zipfian readers, Duration duration, Random random) throws Exception {
        PhotoAppClient client = new PhotoAppClient(node, Duration.ofSeconds(10), 0);
        long endNanos = System.nanoTime() + duration.toNanos();
        List<Future<Reads>> loops = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                Random own = new Random(random.nextLong());
                loops.add(threads.submit(() -> {
                    Reads reads = new Reads();
                    while (System.nanoTime() < endNanos) {
                        long start = System.nanoTime();
                        try {
                            Reply reply = client.get("/api/feed", sessions.get(readers.next(own)));
                            reads.add(reply.ok(), System.nanoTime() - start);
                        } catch (IOException e) {
                            reads.add(false, System.nanoTime() - start);
                        }
                    }
                    return reads;
                }));
            }
            Reads all = new Reads();
            for (Future<Reads> loop : loops) {
                all.addAll(loop.get());
            }
            return all;
        }
    }

    /** Latencies of the reads that succeeded, and a count of those that failed. */
    private static final class Reads {
        private final List<Long> nanos = new ArrayList<>();
        private long failed;

        void add(boolean ok, long latencyNanos) {
            if (ok) {
                nanos.add(latencyNanos);
            } else {
                failed++;
            }
        }

        void addAll(Reads other) {
            nanos.addAll(other.nanos);
            failed += other.failed;
        }

        long failed() {
            return failed;
        }

        double millis(double quantile) {
            if (nanos.isEmpty()) {
                return Double.NaN;
            }
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1)) / 1e6;
        }

        long perSecond(Duration duration) {
            return Math.round(nanos.size() / (duration.toNanos() / 1e9));
        }
    }
}
