package dev.millions.edge.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.edge.balance.Backend;
import dev.millions.edge.balance.BackendSet;

/**
 * Active health: asks every backend's readiness endpoint on an interval, with a timeout, and turns it
 * healthy or unhealthy by rise and fall counts.
 */
public final class ActiveHealthChecker implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(ActiveHealthChecker.class);

    private final BackendSet backends;
    private final String path;
    private final Duration interval;
    private final Duration timeout;
    private final int rise;
    private final int fall;
    private final LongSupplier ticker;
    private final Map<Backend, HealthState> states = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "health-checks");
        thread.setDaemon(true);
        return thread;
    });

    public ActiveHealthChecker(BackendSet backends, String path, Duration interval, Duration timeout, int rise,
                               int fall, LongSupplier ticker) {
        this.backends = backends;
        this.path = path;
        this.interval = interval;
        this.timeout = timeout;
        this.rise = rise;
        this.fall = fall;
        this.ticker = ticker;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                              .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::checkAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkAll() {
        for (Backend backend : backends.all()) {
            URI uri = URI.create("http://" + backend.address().getHostString() + ':' + backend.address().getPort() + path);
            http.sendAsync(HttpRequest.newBuilder(uri).timeout(timeout).build(), HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, failure) -> record(backend, failure == null && response.statusCode() == 200,
                                                            failure == null ? "HTTP " + response.statusCode()
                                                                            : failure.toString()));
        }
    }

    /** One check's result: turns the backend healthy or unhealthy once rise or fall checks agree. */
    private void record(Backend backend, boolean passed, String detail) {
        HealthState state = states.computeIfAbsent(backend, b -> new HealthState(rise, fall, b.healthy()));
        boolean was = backend.healthy();
        boolean now = state.observe(passed);
        if (was != now) {
            backend.markHealthy(now, ticker.getAsLong());
            logger.info("backend {} is {} ({})", backend, now ? "healthy" : "unhealthy", detail);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.close();
    }
}
