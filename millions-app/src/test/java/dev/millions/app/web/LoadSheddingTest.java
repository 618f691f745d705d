package dev.millions.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.millions.app.testing.ApiClient.Response;
import dev.millions.app.testing.AppTestBase;

@TestPropertySource(properties = "millions.web.max-in-flight=2")
class LoadSheddingTest extends AppTestBase {

    private final List<Socket> slowClients = new ArrayList<>();

    @AfterEach
    void closeSlowClients() throws IOException {
        for (Socket client : slowClients) {
            client.close();
        }
    }

    @Test
    void requestOverTheLimit_isRefusedWith503_whileHealthAndMetricsStillAnswer() throws Exception {
        holdTwoRequestsInFlight();

        Response refused = client().get("/api/users/nobody");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(refused.detail()).isEqualTo("server busy: 2 requests in flight; retry shortly");
        assertThat(client().get("/health/readiness").status()).isEqualTo(200);
        assertThat(client().get("/metrics").body()).containsPattern("millions_requests_shed_total\\{.*} 1.0")
                                                   .containsPattern("millions_requests_in_flight\\{.*} 2.0");
    }

    @Test
    void requestsAreServedAgain_onceThoseInFlightEnd() throws Exception {
        holdTwoRequestsInFlight();
        assertThat(client().get("/api/users/nobody").status()).isEqualTo(503);

        closeSlowClients();

        awaitTrue(() -> client().get("/api/users/nobody").status() == 404);
        assertThat(stored().get("users")).isZero();
    }

    /** Two sign-ups whose bodies never finish arriving: each holds its permit while the app waits for it. */
    private void holdTwoRequestsInFlight() throws IOException, InterruptedException {
        for (int i = 0; i < 2; i++) {
            Socket client = new Socket("127.0.0.1", port);
            slowClients.add(client);
            OutputStream out = client.getOutputStream();
            out.write(("POST /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       + "Content-Length: 100\r\n\r\n{\"username\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        Pattern twoInFlight = Pattern.compile("millions_requests_in_flight\\{.*} 2.0");
        awaitTrue(() -> twoInFlight.matcher(client().get("/metrics").body()).find());
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition still false after 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
