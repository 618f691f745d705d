package dev.millions.edge.proxy;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The process's own metrics: heap, GC and JIT time, registered with the Prometheus Java client. JIT time tells
 * when the proxy has reached its steady state: until the compiler settles, a JVM's tail latency is not
 * yet its own ({@code millions bench lb} warms up until it does).
 */
final class JvmMetrics {

    private JvmMetrics() {}

    static void register(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("jvm_memory_heap_used_bytes").help("Heap in use.")
                .callback(callback -> callback.call(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()))
                .register(registry);
        CounterWithCallback.builder().name("jvm_gc_collection_seconds").help("Time spent in each collector.")
                .labelNames("gc")
                .callback(callback -> {
                    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                        callback.call(gc.getCollectionTime() / 1000.0, gc.getName());
                    }
                }).register(registry);
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit != null && jit.isCompilationTimeMonitoringSupported()) {
            CounterWithCallback.builder().name("jvm_jit_compilation_seconds")
                    .help("Time the JIT compilers spent compiling.")
                    .callback(callback -> callback.call(jit.getTotalCompilationTime() / 1000.0)).register(registry);
        }
    }
}
