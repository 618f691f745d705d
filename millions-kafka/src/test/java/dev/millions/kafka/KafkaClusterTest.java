package dev.millions.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real three-node KRaft cluster, each node its own JVM, started once for the class: topics replicated
 * on three, a partition leader killed with SIGKILL under idempotent {@code acks=all} writes (nothing
 * acknowledged is lost or duplicated, and the launcher's unregistration moves its leaderships long before
 * the controller's session timeout would), the killed node rejoining, and the whole cluster started again
 * over its folders.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaClusterTest {

    private static final Path CLASSPATH = Path.of("..", "millions-kafka-server", "target", "lib");
    private static final Path METRICS_AGENT = Path.of("..", "millions-kafka-server", "target", "agent",
                                                      "jmx_prometheus_javaagent.jar");
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    /** Long, so that only the launcher's unregistration of a killed broker can move its leaderships sooner. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path folder;

    static KafkaCluster cluster;

    @BeforeAll
    static void startTheCluster() {
        cluster = build();
        cluster.start();
    }

    @AfterAll
    static void stopTheCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    @Order(1)
    void everyNode_servesItsBrokerAndControllerMetricsAsPrometheusText_whereTheClusterSays() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (KafkaNode node : cluster.nodes()) {
                URI url = KafkaCluster.metricsUrl(folder.resolve("data"), "kafka-" + node.id()).orElseThrow();
                assertThat(url.getPort()).isEqualTo(node.metricsPort());

                String metrics = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()).body();

                assertThat(metrics).containsPattern("kafka_server_replicamanager_value\\{name=\"UnderReplicatedPartitions\"} 0")
                                   .contains("kafka_server_brokertopicmetrics_count{name=\"MessagesInPerSec\"}")
                                   .contains("kafka_controller_kafkacontroller_value{name=\"ActiveBrokerCount\"}")
                                   .doesNotContain("topic=");
            }
        }
    }

    @Test
    @Order(1)
    void start_registersEveryBroker_andTopicsAreReplicatedOnThreeWithTwoInSync() throws Exception {
        cluster.createTopic("events", 6);
        cluster.createTopic("events", 6);

        try (Admin admin = admin()) {
            TopicDescription events = admin.describeTopics(List.of("events")).allTopicNames().get().get("events");
            String minInSync = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "events")))
                                    .all().get().values().iterator().next().get("min.insync.replicas").value();

            assertThat(cluster.registeredBrokers()).containsExactly(1, 2, 3);
            assertThat(events.partitions()).hasSize(6).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
            assertThat(minInSync).isEqualTo("2");
        }
    }

    @Test
    @Order(2)
    void partitionLeaderKilledUnderIdempotentWrites_losesAndDuplicatesNothing_andWritesResumeBeforeTheSessionTimeout()
            throws Exception {
        cluster.createTopic("writes", 1);
        // Consumers' offsets topic, made now as in a running system: with a broker unregistered, a topic
        // replicated on three cannot be made until it registers again.
        readAll("writes", 0);
        int leader = leaderOf("writes");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        long longestGapNanos = 0;
        try (KafkaProducer<String, String> producer = producer()) {
            long previous = System.nanoTime();
            for (int i = 0; i < 2_000; i++) {
                if (i == 500) {
                    ProcessHandle.of(cluster.nodes().get(leader - 1).pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
                String value = "write-" + i;
                producer.send(new ProducerRecord<>("writes", "key-" + (i % 10), value)).get(60, TimeUnit.SECONDS);
                acknowledged.add(value);
                long now = System.nanoTime();
                longestGapNanos = Math.max(longestGapNanos, now - previous);
                previous = now;
            }
        }
        System.out.printf("longest wait for an acknowledgement, the leader killed: %d ms%n", longestGapNanos / 1_000_000);

        Map<String, Integer> seen = new HashMap<>();
        readAll("writes", acknowledged.size()).forEach(record -> seen.merge(record.value(), 1, Integer::sum));

        assertThat(seen.keySet()).as("every acknowledged write is there").containsAll(acknowledged);
        assertThat(seen.values()).as("none twice").allMatch(count -> count == 1);
        assertThat(Duration.ofNanos(longestGapNanos))
                .as("the launcher unregistered the dead broker; the controller alone would have waited out its session")
                .isLessThan(SESSION_TIMEOUT);
    }

    @Test
    @Order(3)
    void killedNode_rejoinsWhenStartedAgain_andCatchesUp() throws Exception {
        for (KafkaNode node : cluster.nodes()) {
            node.start();
        }

        await("every broker registered", () -> cluster.registeredBrokers().size() == 3);
        await("every replica of 'writes' in sync again", () -> isr("writes").size() == 3);
    }

    @Test
    @Order(4)
    void clusterStartedAgainOverItsFolders_keepsItsTopicsAndMessages() throws Exception {
        cluster.stop();
        cluster = build();
        cluster.start();

        assertThat(readAll("writes", 2_000)).hasSize(2_000);
    }

    private static KafkaCluster build() {
        return KafkaCluster.builder().nodes(3).folders(folder.resolve("data"), folder.resolve("logs"))
                           .classpath(CLASSPATH).metricsAgent(METRICS_AGENT).heapMegabytes(256)
                           .jvmOptions(List.of("-XX:TieredStopAtLevel=1"))
                           .sessionTimeout(SESSION_TIMEOUT).build();
    }

    private static int leaderOf(String topic) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().getFirst()
                        .leader().id();
        }
    }

    private static List<org.apache.kafka.common.Node> isr(String topic) {
        try (Admin admin = admin()) {
            TopicPartitionInfo partition = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                                                .get(topic).partitions().getFirst();
            return partition.isr();
        } catch (Exception e) {
            return List.of();
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                                            ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
                                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                                            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                                                                          new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long start = System.nanoTime();
            while (records.size() < expected && System.nanoTime() - start < DEADLINE.toNanos()) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // A little longer, for duplicates past the count.
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                                          ProducerConfig.ACKS_CONFIG, "all",
                                          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                                          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
                                   new StringSerializer(), new StringSerializer());
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - start > DEADLINE.toNanos()) {
                fail("%s: not within %d s", what, DEADLINE.toSeconds());
            }
            Thread.sleep(200);
        }
    }
}
