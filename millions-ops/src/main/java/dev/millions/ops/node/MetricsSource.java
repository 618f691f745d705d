package dev.millions.ops.node;

/** A node whose metrics the supervisor exports on its behalf (a database cluster, a Redis Cluster). */
public interface MetricsSource {

    /** Appends its families in Prometheus text, each with its {@code # TYPE} line. */
    void appendMetrics(StringBuilder out);
}
