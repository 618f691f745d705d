package dev.millions.ops.node;

/** How a client reaches a message queue (a Kafka cluster): the brokers it bootstraps from. */
public interface QueueAccess {

    /** {@code host:port,host:port,...} */
    String bootstrapServers();
}
