package dev.millions.ops.supervisor;

import java.util.List;

/** The supervisor's own metrics, in Prometheus text: the replicated databases and the Redis Clusters. */
final class SupervisorMetrics {

    private SupervisorMetrics() {}

    static String render(List<DatabaseCluster> databases, List<RedisClusterNode> caches) {
        StringBuilder out = new StringBuilder();
        out.append("# TYPE millions_db_failovers_total counter\n# TYPE millions_db_epoch gauge\n")
           .append("# TYPE millions_db_last_failover_detection_ms gauge\n")
           .append("# TYPE millions_db_last_failover_promotion_ms gauge\n# TYPE millions_db_role gauge\n")
           .append("# TYPE millions_db_replication_lag_bytes gauge\n");
        databases.forEach(database -> database.appendMetrics(out));
        out.append("# TYPE millions_redis_master gauge\n# TYPE millions_redis_used_memory_bytes gauge\n")
           .append("# TYPE millions_redis_evicted_keys_total counter\n# TYPE millions_redis_expired_keys_total counter\n")
           .append("# TYPE millions_redis_keys gauge\n");
        caches.forEach(cache -> cache.appendMetrics(out));
        return out.toString();
    }
}
