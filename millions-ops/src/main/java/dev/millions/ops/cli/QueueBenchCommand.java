package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.jdbc.ReplicatedDataSource;
import dev.millions.ops.supervisor.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "queue", mixinStandardHelpOptions = true,
        description = { "Measure the queue stage: posts written at a steady rate through the entry point, from the "
                        + "outbox to the topic (the relay) and from the acknowledgement to the effects (the workers); "
                        + "then the same with one key's event failing into the retry topics, to show that only that "
                        + "key waits; then the workers' throughput at 1, 2 and 4 workers on a batch of events. "
                        + "Needs the queue stage: ./millions up queue -d" },
        footer = { "", "It ends with lines:",
                   "  queue latency: outbox to topic p50 A ms, p99 B ms; acknowledgement to effect p50 C ms, p99 D ms",
                   "  slow key: other keys' p99 D ms before, E ms while one key's event is retried; that key's posts waited up to F ms",
                   "  workers: 1 -> X events/s, 2 -> Y events/s, 4 -> Z events/s" })
final class QueueBenchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);

    @Option(names = "--duration", defaultValue = "30s", paramLabel = "TIME", converter = TimeConverter.class,
            description = "How long each latency phase writes (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", defaultValue = "10", description = "Posts a second in the latency phases (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--batch", defaultValue = "3000", description = "Events per throughput measure (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--workers", defaultValue = "1,2,4", split = ",",
            description = "The numbers of workers the throughput is measured at (default: ${DEFAULT-VALUE}).")
    List<Integer> workerCounts;

    @Option(names = "--warmup", defaultValue = "10s", paramLabel = "TIME", converter = TimeConverter.class,
            description = "Writing before the latency is measured, left out of the numbers (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (duration.toSeconds() < 5 || rate < 1 || rate > 1000 || batch < 100 || batch > 1_000_000
            || workerCounts.stream().anyMatch(count -> count < 1 || count > 16)) {
            err.println("error: --duration " + duration.toSeconds() + "s, --rate " + rate + ", --batch " + batch
                        + ", --workers " + workerCounts + " (expected: >= 5s, 1..1000, 100..1000000, each 1..16)");
            return ExitCodes.USAGE;
        }
        Optional<QueueStage> stage = QueueStage.find(runFolderOption, err, "bench");
        if (stage.isEmpty()) {
            return ExitCodes.NOT_RUNNING;
        }
        RunningSystem system = stage.get().system();
        int workers = stage.get().workers();
        long startMillis = System.currentTimeMillis();
        Random random = new Random(startMillis);
        String prefix = QueueStage.usernamePrefix('b', startMillis);
        QueueDrillLoad load = new QueueDrillLoad(URI.create(system.entry().url()), prefix);
        load.setUp(40, random);
        try (ReplicatedDataSource database = DbFailoverDrill.database(system.runFolder(), stage.get().clusterFile(), 2,
                                                                        Duration.ofSeconds(30));
             TopicWatch topic = new TopicWatch(stage.get().kafka().address())) {
            QueueEffects effects = new QueueEffects(database);
            out.printf("queue bench: %d posts/s for %d s through %s, %d workers%n", rate, duration.toSeconds(),
                       system.entry().name(), workers);
            out.flush();
            phase(load, effects, warmup, random);
            Map<Long, QueueDrillLoad.Post> warm = Map.copyOf(load.posts());
            long[] steady = phase(load, effects, duration, random, "", warm.keySet());
            List<Long> publishMillis = topic.delays(load.posts().keySet().stream()
                                                        .filter(id -> !warm.containsKey(id)).toList());
            out.printf("queue latency: outbox to topic p50 %d ms, p99 %d ms; acknowledgement to effect p50 %d ms, "
                       + "p99 %d ms (%d posts)%n", percentile(publishMillis, 0.5), percentile(publishMillis, 0.99),
                       steady[0], steady[1], steady[2]);
            out.flush();

            List<Long> authors = authorIds(database, prefix);
            // The first user signed up has the lowest id.
            park(database, authors.getFirst());
            Map<Long, QueueDrillLoad.Post> before = Map.copyOf(load.posts());
            long[] slow = phase(load, effects, duration, random, prefix + '0', before.keySet());
            out.printf("slow key: other keys' p99 %d ms before, %d ms while one key's event is retried; that key's "
                       + "posts waited up to %d ms%n", steady[1], slow[1], slow[3]);
            out.flush();

            String image = load.posts().values().iterator().next().imageName();
            QueueThroughput throughput = new QueueThroughput(database, stage.get().kafka().address());
            ControlClient control = new ControlClient(system.runFolder());
            StringBuilder line = new StringBuilder("workers:");
            try {
                for (int count : workerCounts) {
                    control.scale("worker", count);
                    throughput.awaitGroup(count);
                    line.append(line.length() == "workers:".length() ? " " : ", ").append(count).append(" -> ")
                        .append(Math.round(throughput.measure(authors, image, batch))).append(" events/s");
                }
            } finally {
                control.scale("worker", workers);
            }
            out.println(line + " (" + batch + " events each, fanned out to 5 followers; this machine has "
                        + Runtime.getRuntime().availableProcessors() + " cores)");
            return ExitCodes.OK;
        }
    }

    /** Writes for {@code duration}; returns other keys' p50 and p99 ack-to-effect, their count, and the slow key's worst. */
    private long[] phase(QueueDrillLoad load, QueueEffects effects, Duration duration, Random random)
            throws Exception {
        return phase(load, effects, duration, random, "", List.of());
    }

    private long[] phase(QueueDrillLoad load, QueueEffects effects, Duration duration, Random random, String slowUser,
                         Collection<Long> earlier) throws Exception {
        long endNanos = System.nanoTime() + duration.toNanos();
        AtomicBoolean writing = new AtomicBoolean(true);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Random own = new Random(random.nextLong());
                writers.add(threads.submit(() -> {
                    load.write(endNanos, 2_000_000_000L / rate, own);
                    return null;
                }));
            }
            long giveUp = endNanos + SETTLE_TIMEOUT.toNanos();
            Future<?> observing = threads.submit(() -> {
                while (writing.get() || !allSeen(load, effects, earlier) && System.nanoTime() < giveUp) {
                    effects.observe(load.posts().values());
                    Thread.sleep(100);
                }
                return null;
            });
            for (Future<?> writer : writers) {
                writer.get();
            }
            writing.set(false);
            observing.get();
        }
        List<Long> others = new ArrayList<>();
        long slowest = 0;
        for (QueueDrillLoad.Post post : load.posts().values()) {
            if (earlier.contains(post.id())) {
                continue;
            }
            Optional<Long> effect = effects.effectNanos(post.id());
            if (effect.isEmpty()) {
                continue;
            }
            long waited = (effect.get() - post.acknowledgedNanos()) / 1_000_000;
            if (slowUser.equals(load.authorOf(post.id()))) {
                slowest = Math.max(slowest, waited);
            } else {
                others.add(waited);
            }
        }
        return new long[] { percentile(others, 0.5), percentile(others, 0.99), others.size(), slowest };
    }

    private static boolean allSeen(QueueDrillLoad load, QueueEffects effects, Collection<Long> earlier) {
        return load.posts().keySet().stream().allMatch(id -> earlier.contains(id) || effects.effectNanos(id).isPresent());
    }

    /** An event of this author's that fails until it is dead-lettered (its photo is never stored): it parks the key. */
    private static void park(ReplicatedDataSource database, long author) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     INSERT INTO outbox (topic, event_key, payload)
                     VALUES ('posts', ?, jsonb_build_object('eventId', gen_random_uuid(), 'type', 'post-created',
                             'postId', 0, 'authorId', ?, 'at', clock_timestamp(),
                             'imageName', repeat('0', 64) || '.png'))""")) {
            statement.setString(1, Long.toString(author));
            statement.setLong(2, author);
            statement.executeUpdate();
        }
    }

    private static List<Long> authorIds(ReplicatedDataSource database, String prefix) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT id FROM users WHERE username LIKE ? ORDER BY id")) {
            statement.setString(1, prefix + '%');
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    private static long percentile(List<Long> values, double quantile) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    /**
     * Reads {@code posts} from its end as the bench starts: each event's delay from its commit (its
     * {@code at}) to its record's timestamp, the moment the relay sent it.
     */
    private static final class TopicWatch implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final Map<Long, Long> delays = new ConcurrentHashMap<>();

        TopicWatch(String bootstrap) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                                  ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                                           new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor("posts", Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition("posts", info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        /** The delays of these posts' events, reading until each is found or the topic has nothing more. */
        List<Long> delays(Collection<Long> posts) throws IOException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!delays.keySet().containsAll(posts) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = JSON.readTree(record.value());
                    if ("post-created".equals(event.path("type").asText()) && event.hasNonNull("at")) {
                        delays.put(event.path("postId").asLong(),
                                   record.timestamp() - Instant.parse(event.path("at").asText()).toEpochMilli());
                    }
                }
            }
            return posts.stream().map(delays::get).filter(Objects::nonNull).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
