package dev.millions.app.queue;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The message queue.
 *
 * @param bootstrapServers the Kafka brokers as {@code host:port,...}; empty: no queue
 * @param partitions how many partitions each topic the app creates gets
 */
@ConfigurationProperties("millions.queue")
public record QueueProperties(String bootstrapServers, int partitions) {

    public QueueProperties {
        bootstrapServers = bootstrapServers == null ? "" : bootstrapServers.strip();
        partitions = partitions == 0 ? 6 : partitions;
        if (partitions < 1) {
            throw new IllegalArgumentException("millions.queue.partitions: " + partitions + " (expected: >= 1)");
        }
    }
}
