package dev.millions.bench.workload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The photo app's API as the load generator calls it. Each user's session travels as the
 * {@code SESSION} cookie, set by hand so that many users share one HTTP client and its connections.
 */
final class PhotoAppClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION = "SESSION";

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    PhotoAppClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                              .version(HttpClient.Version.HTTP_1_1)
                              .connectTimeout(Duration.ofSeconds(2))
                              .executor(Executors.newVirtualThreadPerTaskExecutor())
                              .build();
    }

    URI base() {
        return base;
    }

    Reply signUp(String username, String password) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password)
                              .put("displayName", username);
        return send(json("/api/users", body), null);
    }

    Reply logIn(String username, String password) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
        return send(json("/api/session", body), null);
    }

    Reply logOut(String session) throws IOException, InterruptedException {
        return send(request("/api/session").DELETE(), session);
    }

    Reply get(String path, String session) throws IOException, InterruptedException {
        return send(request(path).GET(), session);
    }

    Reply follow(String followee, String session) throws IOException, InterruptedException {
        return send(request("/api/users/" + followee + "/follow").PUT(HttpRequest.BodyPublishers.noBody()), session);
    }

    Reply createPost(String caption, byte[] image, String session) throws IOException, InterruptedException {
        String boundary = "millions-bench-" + Long.toHexString(System.nanoTime());
        ByteArrayOutputStream body = new ByteArrayOutputStream(image.length + 512);
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"caption\"\r\n"
                         + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + caption + "\r\n")
                                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; "
                         + "filename=\"bench.png\"\r\nContent-Type: image/png\r\n\r\n")
                                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request("/api/posts").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                         .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), session);
    }

    static JsonNode parse(Reply reply) throws IOException {
        return JSON.readTree(reply.body());
    }

    private HttpRequest.Builder json(String path, JsonNode body) {
        return request(path).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Accept", "application/json");
    }

    private Reply send(HttpRequest.Builder builder, String session) throws IOException, InterruptedException {
        if (session != null) {
            builder.header("Cookie", SESSION + '=' + session);
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), sessionCookie(response).orElse(null));
    }

    private static Optional<String> sessionCookie(HttpResponse<?> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            if (header.startsWith(SESSION + '=')) {
                int end = header.indexOf(';');
                return Optional.of(header.substring(SESSION.length() + 1, end < 0 ? header.length() : end));
            }
        }
        return Optional.empty();
    }
}
