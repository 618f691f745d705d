package dev.millions.edge.proxy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The proxy's own counters; per-backend counters live on each backend. */
final class ProxyMetrics {

    final AtomicInteger connections = new AtomicInteger();
    final LongAdder retries = new LongAdder();
    final LongAdder aborted = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder[] byClass = { new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder() };

    void responses(int status) {
        int index = status / 100 - 1;
        if (index >= 0 && index < byClass.length) {
            byClass[index].increment();
        }
    }
}
