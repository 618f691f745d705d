package dev.millions.edge.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The process's own metrics: heap, GC and JIT time, written by the Prometheus Java client. JIT time tells
 * when the proxy has reached its steady state: until the compiler settles, a JVM's tail latency is not
 * yet its own ({@code millions bench lb} warms up until it does).
 */
final class JvmMetrics {

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();
    private static final PrometheusRegistry REGISTRY = registry();

    private JvmMetrics() {}

    private static PrometheusRegistry registry() {
        PrometheusRegistry registry = new PrometheusRegistry();
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
        return registry;
    }

    static String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            WRITER.write(out, REGISTRY.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
