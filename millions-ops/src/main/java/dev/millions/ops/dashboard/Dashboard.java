package dev.millions.ops.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.common.admin.AdminResponse;
import dev.millions.common.admin.AdminServer;
import dev.millions.ops.node.Roles;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;
import dev.millions.ops.supervisor.Timeline;
import dev.millions.ops.topology.Topology;

/**
 * The supervisor's view of the running system, once a second: it scrapes every ready node's metrics,
 * reads each process tree's CPU and memory, keeps the last 15 minutes of it per node
 * ({@link NodeHistory}), and publishes the whole state as one JSON document, which the dashboard's page
 * receives as server-sent events. It reads the nodes from {@code state.json}, not from the supervisor,
 * so that it goes on showing them while the supervisor is busy (a restart holds it for seconds).
 */
public final class Dashboard implements AutoCloseable {

    static final long INTERVAL_MILLIS = 1_000;
    private static final Logger logger = LoggerFactory.getLogger(Dashboard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SCRAPE_TIMEOUT = Duration.ofMillis(1500);
    /** Scrapes missed in a row before a running node shows as silent: a busy JVM misses one now and then. */
    private static final int SILENT_AFTER = 3;
    private static final long SCRAPE_COST_FACTOR = 20;
    private static final long LONGEST_PAUSE_NANOS = 5_000_000_000L;
    /** A stream with nothing new says so this often, so that a proxy or the browser keeps it open. */
    private static final long KEEP_ALIVE_MILLIS = 15_000;

    private final Topology topology;
    private final RunFolder runFolder;
    private final Timeline timeline;
    private final LongSupplier nanos;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(SCRAPE_TIMEOUT).build();
    private final Map<String, NodeHistory> histories = new ConcurrentHashMap<>();
    private final Map<String, Boolean> answered = new ConcurrentHashMap<>();
    private final Map<String, Integer> silentScrapes = new ConcurrentHashMap<>();
    private final Map<String, Long> nextScrape = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "millions-dashboard");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Runnable> afterTick = new CopyOnWriteArrayList<>();
    private long sequence;
    private String published = "{}";
    private boolean closed;

    private Dashboard(Topology topology, RunFolder runFolder, Timeline timeline, LongSupplier nanos) {
        this.topology = topology;
        this.runFolder = runFolder;
        this.timeline = timeline;
        this.nanos = nanos;
    }

    public static Dashboard start(Topology topology, RunFolder runFolder, Timeline timeline) {
        Dashboard dashboard = new Dashboard(topology, runFolder, timeline, System::nanoTime);
        dashboard.scheduler.scheduleWithFixedDelay(dashboard::tickSafely, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        return dashboard;
    }

    /**
     * Adds the dashboard to the supervisor's control API: the page, which holds no data and needs no
     * token (the token rides in the address's fragment and the page sends it as a bearer token), and the
     * state, once or as server-sent events, which want the token.
     */
    public void routes(AdminServer.Builder routes) {
        routes.open("GET", "/dashboard", request -> AdminResponse.text("text/html; charset=utf-8", DashboardPage.html()))
              .secured("GET", "/dashboard/state", request -> AdminResponse.text("application/json", state()))
              .secured("GET", "/dashboard/events", request -> AdminResponse.stream("text/event-stream", this::stream));
    }

    /** Runs {@code action} after each second's scrape, on the dashboard's thread (an autoscaler's decision). */
    public void afterEachTick(Runnable action) {
        afterTick.add(action);
    }

    /**
     * The metric averaged over the role's ready nodes that have it, over the last
     * {@link DashboardState#WINDOW_NANOS}; empty when none has (yet).
     */
    public OptionalDouble average(String role, RoleMetric metric) {
        List<NodeState> nodes = RunState.read(runFolder.stateFile()).map(RunState::nodes).orElse(List.of());
        return nodes.stream().filter(node -> node.role().equals(role) && node.status() == NodeStatus.READY)
                    .map(node -> histories.get(node.name())).filter(history -> history != null)
                    .mapToDouble(history -> metric.of(history, DashboardState.WINDOW_NANOS))
                    .filter(value -> !Double.isNaN(value)).average();
    }

    /** The latest state, as the page receives it. */
    synchronized String state() {
        return published;
    }

    /**
     * Writes each new state as a server-sent event until the client hangs up or the dashboard closes.
     *
     * @throws IOException when the client has hung up
     */
    void stream(OutputStream out) throws IOException {
        long seen = -1;
        while (true) {
            String json;
            synchronized (this) {
                long deadline = System.currentTimeMillis() + KEEP_ALIVE_MILLIS;
                while (sequence == seen && !closed && System.currentTimeMillis() < deadline) {
                    try {
                        wait(Math.max(1, deadline - System.currentTimeMillis()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                json = sequence == seen ? null : published;
                seen = sequence;
            }
            out.write((json == null ? ": still here\n\n" : "data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void tickSafely() {
        try {
            tick();
            afterTick.forEach(Runnable::run);
        } catch (RuntimeException e) {
            // One bad scrape or decision must not end the dashboard: the next second tries again.
            logger.warn("dashboard update failed: {}", e.toString(), e);
        }
    }

    private void tick() {
        List<NodeState> nodes = RunState.read(runFolder.stateFile()).map(RunState::nodes).orElse(List.of());
        Map<String, Future<Optional<String>>> scrapes = new HashMap<>();
        Set<String> notDue = new HashSet<>();
        long started = nanos.getAsLong();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (NodeState node : nodes) {
                if (node.status() != NodeStatus.READY) {
                    continue;
                }
                if (started < nextScrape.getOrDefault(node.name(), Long.MIN_VALUE)) {
                    notDue.add(node.name());
                    continue;
                }
                metricsUrl(node).ifPresent(url -> scrapes.put(node.name(), executor.submit(() -> scrape(node.name(), url))));
            }
        }
        long now = nanos.getAsLong();
        ProcessTreeState processes = ProcessTreeState.read();
        for (NodeState node : nodes) {
            if (notDue.contains(node.name())) {
                continue;
            }
            Optional<String> text = Optional.empty();
            Future<Optional<String>> scrape = scrapes.get(node.name());
            if (scrape != null) {
                text = scrape.resultNow();
                int failures = text.isPresent() ? 0 : silentScrapes.merge(node.name(), 1, Integer::sum);
                silentScrapes.put(node.name(), failures);
                answered.put(node.name(), failures < SILENT_AFTER);
                if (text.isEmpty()) {
                    // A busy node that did not answer this once: no tick, rather than one without its counters,
                    // which would read as a rate of zero.
                    continue;
                }
            } else {
                answered.remove(node.name());
            }
            boolean running = node.pid() > 0 && node.status() == NodeStatus.READY;
            OptionalDouble cpu = running ? processes.cpuSeconds(node.pid()) : OptionalDouble.empty();
            histories.computeIfAbsent(node.name(), name -> new NodeHistory())
                     .add(new NodeHistory.Tick(now, text.map(Sample::parse).map(Readings::of).orElse(Map.of()),
                                               cpu.orElse(Double.NaN), running ? processes.rssBytes(node.pid()) : 0));
        }
        histories.keySet().removeIf(name -> nodes.stream().noneMatch(node -> node.name().equals(name)));
        silentScrapes.keySet().removeIf(name -> nodes.stream().noneMatch(node -> node.name().equals(name)));
        nextScrape.keySet().removeIf(name -> nodes.stream().noneMatch(node -> node.name().equals(name)));
        String json;
        try {
            json = JSON.writeValueAsString(DashboardState.of(topology, nodes, histories, answered, timeline));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the dashboard's state: " + e.getMessage(), e);
        }
        synchronized (this) {
            published = json;
            sequence++;
            notifyAll();
        }
    }

    private Optional<URI> metricsUrl(NodeState node) {
        return Roles.driver(node.role()).metrics(node.name(), node.url(), runFolder);
    }

    /**
     * One scrape, timed: a node whose scrape took long is next scraped after about twenty times as long
     * (never sooner than the next second, never later than 5 s), so that watching a node costs it about a
     * twentieth of its time however heavy its metrics are.
     */
    private Optional<String> scrape(String node, URI url) {
        long start = nanos.getAsLong();
        try {
            return scrape(url);
        } finally {
            long took = nanos.getAsLong() - start;
            long pause = Math.min(LONGEST_PAUSE_NANOS, took * SCRAPE_COST_FACTOR - INTERVAL_MILLIS * 1_000_000 / 2);
            nextScrape.put(node, start + Math.max(0, pause));
        }
    }

    private Optional<String> scrape(URI url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(SCRAPE_TIMEOUT).build(),
                                                      HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        http.close();
    }
}
