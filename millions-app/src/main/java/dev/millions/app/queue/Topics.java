package dev.millions.app.queue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** The app's topics, created by its code: replicated on up to three brokers, {@code min.insync.replicas} one less. */
public final class Topics {

    /** Where the outbox's events go. */
    public static final List<String> EVENTS = List.of("posts", "follows");

    private Topics() {}

    /** Creates the topics that are not there yet. */
    public static void create(QueueProperties properties, List<String> names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers()))) {
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            short replication = (short) Math.min(3, brokers);
            List<NewTopic> topics = names.stream()
                    .map(name -> new NewTopic(name, properties.partitions(), replication)
                            .configs(Map.of("min.insync.replicas", Integer.toString(Math.max(1, replication - 1)))))
                    .toList();
            for (var created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + created.getKey() + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + properties.bootstrapServers() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the topics", e);
        }
    }
}
