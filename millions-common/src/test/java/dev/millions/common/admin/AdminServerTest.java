package dev.millions.common.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static AdminServer server;

    @BeforeAll
    static void start() throws Exception {
        server = AdminServer.builder().bind("127.0.0.1", 0).token("s3cret", " (see the token file)")
                .open("GET", "/health", request -> AdminResponse.ok(Map.of("status", "UP")))
                .open("GET", "/metrics", request -> AdminResponse.metrics("up 1\n"))
                .secured("POST", "/things/{name}/poke", request -> {
                    if (request.parameter("name").equals("missing")) {
                        throw new AdminServer.NotFound("no thing 'missing'");
                    }
                    return AdminResponse.ok(Map.of("poked", request.parameter("name"),
                                                   "by", request.json().path("by").asText("nobody")));
                })
                .secured("GET", "/events", request -> AdminResponse.stream("text/event-stream", out -> {
                    for (int i = 1; i <= 3; i++) {
                        out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }))
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void openRoutes_needNoToken_andMetricsAreText() throws Exception {
        assertThat(send("GET", "/health", null, null).body()).isEqualTo("{\"status\":\"UP\"}");
        HttpResponse<String> metrics = send("GET", "/metrics", null, null);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/plain; version=0.0.4"));
        assertThat(metrics.body()).isEqualTo("up 1\n");
    }

    @Test
    void streamedRoute_sendsEachEventAsItIsWritten_andNeedsTheToken() throws Exception {
        HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.address().getPort() + "/events")).header("Authorization", "Bearer s3cret")
                .build(), HttpResponse.BodyHandlers.ofLines());

        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.body().filter(line -> !line.isEmpty())).containsExactly("data: 1", "data: 2", "data: 3");
        assertThat(send("GET", "/events", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void securedRoute_withTheToken_getsItsPathPartsAndBody() throws Exception {
        HttpResponse<String> response = send("POST", "/things/lamp/poke", "s3cret", "{\"by\":\"ops\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"poked\":\"lamp\"").contains("\"by\":\"ops\"");
    }

    @Test
    void securedRoute_withoutOrWithAWrongToken_is401WithAProblemBody() throws Exception {
        for (String token : new String[] { null, "guess" }) {
            HttpResponse<String> response = send("POST", "/things/lamp/poke", token, "");
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(response.body()).contains("missing or wrong bearer token (see the token file)");
        }
    }

    @Test
    void badInput_unknownThings_paths_andMethods_getTheirOwnStatus() throws Exception {
        assertThat(send("POST", "/things/lamp/poke", "s3cret", "{not json").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/things/missing/poke", "s3cret", "").body()).contains("no thing 'missing'");
        assertThat(send("POST", "/things/missing/poke", "s3cret", "").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/nowhere", null, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/health", null, null).statusCode()).isEqualTo(405);
        assertThat(send("POST", "/things/../poke", "s3cret", "").statusCode()).isEqualTo(404);
        HttpResponse<String> huge = send("POST", "/things/lamp/poke", "s3cret", "{\"by\":\"" + "x".repeat(100_000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.body()).contains("over 65536 bytes");
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
                                                                        + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                             : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
