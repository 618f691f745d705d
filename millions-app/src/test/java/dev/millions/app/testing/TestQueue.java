package dev.millions.app.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.test.context.DynamicPropertyRegistry;

import dev.millions.kafka.KafkaCluster;
import dev.millions.postgres.PostgresServer;

/**
 * A database and a one-broker Kafka of a test class's own, so that no other test context's relay or
 * worker takes its events; started once per class, stopped by {@link #stop()}.
 */
public final class TestQueue {

    private final PostgresServer database;
    private final KafkaCluster kafka;

    private TestQueue(PostgresServer database, KafkaCluster kafka) {
        this.database = database;
        this.kafka = kafka;
    }

    /** Starts both and points the app's properties at them. */
    public static TestQueue start(DynamicPropertyRegistry registry) throws IOException {
        PostgresServer database = TestDatabase.startNew();
        Path folder = Files.createTempDirectory("millions-kafka-app-test-");
        KafkaCluster kafka = KafkaCluster.builder().nodes(1).folders(folder.resolve("data"), folder.resolve("logs"))
                                         .classpath(Path.of("..", "millions-kafka-server", "target", "lib"))
                                         .heapMegabytes(256).jvmOptions(List.of("-XX:TieredStopAtLevel=1")).build();
        kafka.start();
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
        registry.add("millions.queue.bootstrap-servers", kafka::bootstrapServers);
        return new TestQueue(database, kafka);
    }

    public PostgresServer database() {
        return database;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public void stop() {
        kafka.stop();
        database.stop();
    }
}
