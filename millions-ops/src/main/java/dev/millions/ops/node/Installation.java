package dev.millions.ops.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where this build of millions lives: the app's jar that web nodes run, the JDK that runs them (the one
 * running this command, which {@code ./millions} chose), and the options this machine gives every JVM
 * the system starts.
 *
 * @param jvmOptions options from {@code MILLIONS_JVM_OPTIONS}, which every JVM node (web, worker, edge,
 *                   trace store, Kafka broker) and the supervisor get before a node's own
 *                   {@code jvmOptions}, so that a node's own win; when it is unset, {@link #SMALL_MACHINE}
 *                   on a machine of at most {@link #SMALL_MACHINE_CORES} cores
 */
public record Installation(Path home, Path appJar, Path java, List<String> jvmOptions) {

    /**
     * On a small machine, nodes run on C1's code alone. A stage runs ten to fifteen JVMs, and for minutes
     * after each (re)start, C2's compiler threads take the cores the system serves with: 43 % of the JVMs'
     * CPU in the queue stage's test on 2 cores. There, with C2, a broker's loss held effects up for 3.9 to
     * 5.5 s and 35 to 106 of the queue drill's requests failed; with C1 alone, 1.9 to 2.4 s and at most 2
     * (docs/architecture.md, "JVM options"). The benches' own proxies and peers keep both compilers.
     */
    static final List<String> SMALL_MACHINE = List.of("-XX:TieredStopAtLevel=1");
    static final int SMALL_MACHINE_CORES = 4;

    public Installation {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** The load balancer's jar, built beside the app's. */
    public Path edgeJar() {
        return home.resolve("millions-edge/target/millions-edge.jar");
    }

    /** The trace store's jar, built beside the app's. */
    public Path traceJar() {
        return home.resolve("millions-trace/target/millions-trace.jar");
    }

    /** @throws IllegalStateException naming {@code what} when {@code jar} has not been built */
    public void checkJar(Path jar, String what) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(what + " jar is missing at " + jar
                                            + ": build it with ./millions (which builds what is missing) or ./mvnw package");
        }
    }

    /** Prometheus' JMX exporter, the agent that serves a Kafka node's metrics; the build copies it too. */
    public Path kafkaMetricsAgent() {
        return home.resolve("millions-kafka-server/target/agent/jmx_prometheus_javaagent.jar");
    }

    /** The Kafka broker's jars, which the build copies from Maven Central. */
    public Path kafkaClasspath() {
        return home.resolve("millions-kafka-server/target/lib");
    }

    /**
     * Options for a Netty process on this JDK: from JDK 23 on, the JDK checks every {@code sun.misc.Unsafe}
     * memory access unless told to allow it, which costs a proxy several percent of its CPU; and Netty
     * loads its io_uring and epoll libraries through JNI, which the JDK warns about unless allowed.
     */
    public List<String> nettyJvmOptions() {
        return Runtime.version().feature() >= 23
               ? List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED") : List.of();
    }

    public void checkEdgeJar() {
        if (!Files.isRegularFile(edgeJar())) {
            throw new IllegalStateException("the load balancer's jar is missing at " + edgeJar()
                                            + ": build it with ./millions (which builds what is missing) or "
                                            + "./mvnw package");
        }
    }

    public static Installation detect() {
        Path home = Path.of(System.getProperty("millions.home", ".")).toAbsolutePath().normalize();
        String configuredJar = System.getenv("MILLIONS_APP_JAR");
        Path appJar = configuredJar != null && !configuredJar.isBlank()
                      ? Path.of(configuredJar) : home.resolve("millions-app/target/millions-app.jar");
        Path java = ProcessHandle.current().info().command().map(Path::of)
                                 .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
        return new Installation(home, appJar, java, jvmOptions(System.getenv("MILLIONS_JVM_OPTIONS"),
                                                               Runtime.getRuntime().availableProcessors()));
    }

    /**
     * {@code value} split at white space; none when it is blank (set, but empty: both compilers), and
     * {@link #SMALL_MACHINE} when it is unset on a machine of at most {@link #SMALL_MACHINE_CORES} cores.
     */
    static List<String> jvmOptions(@Nullable String value, int cores) {
        if (value == null) {
            return cores <= SMALL_MACHINE_CORES ? SMALL_MACHINE : List.of();
        }
        if (value.isBlank()) {
            return List.of();
        }
        List<String> options = List.of(value.trim().split("\\s+"));
        for (String option : options) {
            if (!option.startsWith("-")) {
                throw new IllegalArgumentException("MILLIONS_JVM_OPTIONS: '" + option + "' in '" + value
                                                   + "' (expected: JVM options separated by spaces, each starting with '-')");
            }
        }
        return options;
    }

    /** The run folder used when none is given: {@code MILLIONS_RUN_DIR}, else {@code run/} in the home. */
    public Path defaultRunFolder() {
        String configured = System.getenv("MILLIONS_RUN_DIR");
        return configured != null && !configured.isBlank() ? Path.of(configured) : home.resolve("run");
    }

    public void checkAppJar() {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalStateException("the web app's jar is missing at " + appJar
                                            + ": build it with ./millions (which builds what is missing) or "
                                            + "./mvnw package, or point MILLIONS_APP_JAR at it");
        }
    }
}
