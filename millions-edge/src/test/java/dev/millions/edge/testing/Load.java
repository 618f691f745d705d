package dev.millions.edge.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** A few clients sending GETs in a loop until stopped, counting answers by backend and failures. */
public final class Load implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, LongAdder> byBackend = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();
    private final AtomicLong lastFailure = new AtomicLong();
    private final Thread[] clients;
    private volatile String failure;

    public Load(URI uri, int clients) {
        this.clients = new Thread[clients];
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < clients; i++) {
            this.clients[i] = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                                                                             .timeout(Duration.ofSeconds(5)).build(),
                                                                  HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            byBackend.computeIfAbsent(response.body(), b -> new LongAdder()).increment();
                        } else {
                            fail("HTTP " + response.statusCode() + ' ' + response.body());
                        }
                    } catch (Exception e) {
                        if (running.get()) {
                            fail(e.toString());
                        }
                    }
                }
            });
        }
    }

    private void fail(String what) {
        failures.increment();
        lastFailure.set(System.nanoTime());
        failure = what;
    }

    public long count(String backend) {
        LongAdder adder = byBackend.get(backend);
        return adder == null ? 0 : adder.sum();
    }

    public long total() {
        return byBackend.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long failures() {
        return failures.sum();
    }

    public String lastFailure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join(10_000);
        }
    }
}
