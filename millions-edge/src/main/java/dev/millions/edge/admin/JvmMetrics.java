package dev.millions.edge.admin;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The process's own metrics in Prometheus text: heap, GC and JIT time. JIT time tells when the proxy has
 * reached its steady state: until the compiler settles, a JVM's tail latency is not yet its own
 * ({@code millions bench lb} warms up until it does).
 */
final class JvmMetrics {

    private JvmMetrics() {}

    static String text() {
        StringBuilder out = new StringBuilder();
        family(out, "jvm_memory_heap_used_bytes", "gauge", "Heap in use.");
        out.append("jvm_memory_heap_used_bytes ").append(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
           .append('\n');
        family(out, "jvm_gc_collection_seconds_total", "counter", "Time spent in each collector.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            out.append("jvm_gc_collection_seconds_total{gc=\"").append(gc.getName()).append("\"} ")
               .append(seconds(gc.getCollectionTime())).append('\n');
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit != null && jit.isCompilationTimeMonitoringSupported()) {
            family(out, "jvm_jit_compilation_seconds_total", "counter", "Time the JIT compilers spent compiling.");
            out.append("jvm_jit_compilation_seconds_total ").append(seconds(jit.getTotalCompilationTime())).append('\n');
        }
        return out.toString();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(' ')
           .append(type).append('\n');
    }
}
