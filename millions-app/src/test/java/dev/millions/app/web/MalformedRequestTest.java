package dev.millions.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.millions.app.testing.ApiClient.Response;
import dev.millions.app.testing.AppTestBase;

class MalformedRequestTest extends AppTestBase {

    @Test
    void malformedJson_isABadRequest_andStoresNothing() {
        Map<String, Long> before = stored();

        Response refused = client().postJson("/api/users", "{\"username\": \"alice\", ");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.detail()).isEqualTo("malformed JSON request body");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void wrongContentType_isUnsupportedMediaType() {
        Response refused = client().post("/api/users", "text/plain",
                                         "username=alice".getBytes(StandardCharsets.UTF_8));

        assertThat(refused.status()).isEqualTo(415);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(refused.detail()).startsWith("Content-Type 'text/plain;charset=UTF-8' is not supported (expected: ")
                                    .contains("application/json");
    }

    @Test
    void jsonWithAFieldOfTheWrongType_namesTheField_andStoresNothing() {
        Map<String, Long> before = stored();

        Response refused = client().postJson("/api/users", """
                {"username":{"first":"alice"},"password":"correct-horse","displayName":"Alice"}""");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.detail())
                .isEqualTo("malformed JSON request body: username has the wrong type (expected: String)");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void unknownRoute_andWrongMethod_areProblems() {
        Response missing = client().get("/api/nothing-here");
        Response wrongMethod = client().delete("/api/users");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("status").asInt()).isEqualTo(404);
        assertThat(missing.detail()).isEqualTo("not found: GET /api/nothing-here");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.detail()).isEqualTo("Method 'DELETE' is not supported.");
    }

    @Test
    void requestId_isEchoedWhenSafe_andReplacedWhenNot() {
        assertThat(client().get("/health", "X-Request-Id", "abc-123").headers().firstValue("X-Request-Id"))
                .contains("abc-123");
        assertThat(client().get("/health", "X-Request-Id", "bad id <script>").headers()
                           .firstValue("X-Request-Id").orElseThrow())
                .matches("[0-9a-f]{32}");
    }

    @Test
    void health_andMetrics_areServedAtTheirShortPaths() {
        assertThat(client().get("/health/liveness").json().path("status").asText()).isEqualTo("UP");
        assertThat(client().get("/health/readiness").json().path("status").asText()).isEqualTo("UP");
        client().get("/api/users/nobody");
        assertThat(client().get("/metrics").body()).contains("http_server_requests_seconds_count")
                                                   .contains("hikaricp_connections");
    }

    @Test
    void webUi_isServedAtTheRoot() {
        Response page = client().get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).containsPattern("<script src=\"/app-[0-9a-f]{32}\\.js\"></script>");
    }
}
