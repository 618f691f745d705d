package dev.millions.kafka;

import java.nio.file.Path;

/** One broker-and-controller process of a {@link KafkaCluster}. Started again, it keeps its ports and data. */
public interface KafkaNode {

    int id();

    String host();

    /** The port that clients and other brokers connect to. */
    int port();

    /** The port of the controller quorum. */
    int controllerPort();

    /**
     * Where it serves its MBeans as Prometheus text ({@code /metrics}) through the JMX exporter agent,
     * when the cluster was built with one.
     */
    int metricsPort();

    /** The process id while it runs, -1 otherwise. */
    long pid();

    Path logFile();

    /** Starts the process and waits until its broker accepts connections. */
    void start();

    /** A controlled shutdown (SIGTERM), SIGKILL when it takes too long. */
    void stop();
}
