package dev.millions.ops.node;

/** A node whose metrics the supervisor exports on its behalf (a database cluster, a Redis Cluster). */
public interface MetricsSource {

    /** Adds its samples; families of one name from several sources are written as one. */
    void collect(MetricFamilies families);
}
