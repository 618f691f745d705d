package dev.millions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * A server that takes a full second per request: the open loop keeps sending at its rate and reports
 * the stall as latency (no coordinated omission); the closed loop slows down instead.
 */
class LoadGeneratorStalledServerTest {

    static final long STALL_MILLIS = 1_000;
    static HttpServer server;
    static HttpClient http;
    static URI uri;

    @BeforeAll
    static void startSleepingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try {
                Thread.sleep(STALL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                         .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void openLoop_keepsItsArrivalRate_andReportsTheStallAsLatency() throws InterruptedException {
        Recorder recorder = new Recorder(System.nanoTime() + 50_000_000L, 0);

        int stuck = LoadGenerator.of(Schedule.openLoop(40), Duration.ofSeconds(3), 1, 1_000, Duration.ofSeconds(10))
                                 .run(random -> get(), recorder);

        assertThat(stuck).isZero();
        List<Second> series = recorder.series();
        assertThat(series.subList(0, 3)).extracting(Second::due).containsOnly(40L);
        assertThat(recorder.total().count()).isEqualTo(120);
        assertThat(recorder.errors()).isEmpty();
        assertThat(recorder.total().p50()).isGreaterThanOrEqualTo(STALL_MILLIS);
        // Nothing finished in the first second: every request was waiting on the server.
        assertThat(series.get(0).ok()).isZero();
    }

    @Test
    void closedLoop_slowsDown_whenTheServerStalls() throws InterruptedException {
        Recorder recorder = new Recorder(System.nanoTime() + 50_000_000L, 0);

        LoadGenerator.of(Schedule.closedLoop(4), Duration.ofSeconds(3), 1, 1_000, Duration.ofSeconds(10))
                     .run(random -> get(), recorder);

        // Four clients, one second a request, three seconds: about 12 (fewer on a busy machine), never 120.
        assertThat(recorder.total().count()).isBetween(1L, 16L);
    }

    @Test
    void openLoop_overTheInFlightLimit_recordsTheRefusedOperationsAsErrors() throws InterruptedException {
        Recorder recorder = new Recorder(System.nanoTime() + 50_000_000L, 0);

        LoadGenerator.of(Schedule.openLoop(40), Duration.ofSeconds(1), 1, 10, Duration.ofSeconds(10))
                     .run(random -> get(), recorder);

        assertThat(recorder.total().count()).isEqualTo(10);
        assertThat(recorder.errors()).containsEntry(LoadGenerator.CLIENT_LIMIT, 30L);
    }

    private static Operation get() {
        return new Operation() {
            @Override
            public String name() {
                return "get";
            }

            @Override
            public Outcome call() {
                try {
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).build(),
                                                            HttpResponse.BodyHandlers.discarding());
                    return response.statusCode() == 200 ? Outcome.success() : Outcome.error("http " + response.statusCode());
                } catch (IOException e) {
                    return Outcome.error(e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Outcome.error("interrupted");
                }
            }
        };
    }
}
