package dev.millions.edge.proxy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The proxy's own counters; per-backend counters live on each backend. */
final class ProxyMetrics {

    final AtomicInteger connections = new AtomicInteger();
    /** Backend connections idle in the pools of every event loop. */
    final AtomicInteger idleConnections = new AtomicInteger();
    final LongAdder retries = new LongAdder();
    final LongAdder aborted = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder failed = new LongAdder();
    /** Backend connections given back by an exchange that did not own them (refused; always 0 unless a bug). */
    final LongAdder strayReleases = new LongAdder();
    /** Backend connections closed instead of pooled because the pool was full. */
    final LongAdder poolFull = new LongAdder();
    /** Requests whose body outgrew the replay buffer, so they can no longer be retried. */
    final LongAdder replayDropped = new LongAdder();
    /** Connections closed because they pipelined more requests than the proxy holds. */
    final LongAdder pipelineOverflow = new LongAdder();
    final LongAdder[] byClass = { new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder() };

    void responses(int status) {
        int index = status / 100 - 1;
        if (index >= 0 && index < byClass.length) {
            byClass[index].increment();
        }
    }
}
