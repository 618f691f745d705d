package dev.millions.bench.workload;

import static dev.millions.bench.Preconditions.checkArgument;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The photo app's API as the load generator calls it. Each user's session travels as the
 * {@code SESSION} cookie, set by hand so that many users share one HTTP client and its connections.
 * A stated share of requests instead goes on a new TCP connection each ({@link OneShotHttp}), as
 * scripts and simple clients send them.
 */
public final class PhotoAppClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION = "SESSION";
    private static final String JSON_TYPE = "application/json";

    private final URI base;
    private final HttpClient http;
    private final OneShotHttp oneShot;
    private final Duration timeout;
    private final int freshConnectionPercent;
    private final AtomicLong requests = new AtomicLong();

    /** @param freshConnectionPercent how many requests in a hundred go on a new connection of their own */
    public PhotoAppClient(URI base, Duration timeout, int freshConnectionPercent) {
        checkArgument(freshConnectionPercent >= 0 && freshConnectionPercent <= 100,
                      "freshConnectionPercent: %s (expected: 0..100)", freshConnectionPercent);
        this.base = base;
        this.timeout = timeout;
        this.freshConnectionPercent = freshConnectionPercent;
        this.oneShot = new OneShotHttp(base, timeout);
        this.http = HttpClient.newBuilder()
                              .version(HttpClient.Version.HTTP_1_1)
                              .connectTimeout(Duration.ofSeconds(2))
                              .executor(Executors.newVirtualThreadPerTaskExecutor())
                              .build();
    }

    long requests() {
        return requests.get();
    }

    URI base() {
        return base;
    }

    public Reply signUp(String username, String password) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password)
                              .put("displayName", username);
        return send("POST", "/api/users", JSON_TYPE, bytes(body), null);
    }

    public Reply logIn(String username, String password) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
        return send("POST", "/api/session", JSON_TYPE, bytes(body), null);
    }

    Reply logOut(String session) throws IOException, InterruptedException {
        return send("DELETE", "/api/session", null, null, session);
    }

    public Reply get(String path, String session) throws IOException, InterruptedException {
        return send("GET", path, null, null, session);
    }

    public Reply follow(String followee, String session) throws IOException, InterruptedException {
        return send("PUT", "/api/users/" + followee + "/follow", null, new byte[0], session);
    }

    public Reply createPost(String caption, byte[] image, String session) throws IOException, InterruptedException {
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
        return send("POST", "/api/posts", "multipart/form-data; boundary=" + boundary, body.toByteArray(), session);
    }

    public Reply deletePost(long id, String session) throws IOException, InterruptedException {
        return send("DELETE", "/api/posts/" + id, null, null, session);
    }

    public static JsonNode parse(Reply reply) throws IOException {
        return JSON.readTree(reply.body());
    }

    private static byte[] bytes(JsonNode body) {
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Reply send(String method, String path, String contentType, byte[] body, String session)
            throws IOException, InterruptedException {
        // Spread evenly rather than at random, so that a short run has the share it asked for.
        long n = requests.getAndIncrement();
        boolean fresh = (n * freshConnectionPercent) / 100 != ((n + 1) * freshConnectionPercent) / 100;
        return fresh ? sendOnNewConnection(method, path, contentType, body, session)
                     : sendPooled(method, path, contentType, body, session);
    }

    private Reply sendPooled(String method, String path, String contentType, byte[] body, String session)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                                                 .header("Accept", "application/json")
                                                 .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                                                              : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (session != null) {
            builder.header("Cookie", SESSION + '=' + session);
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(),
                         sessionCookie(response.headers().allValues("Set-Cookie")).orElse(null));
    }

    private Reply sendOnNewConnection(String method, String path, String contentType, byte[] body, String session)
            throws IOException {
        List<String> headers = new ArrayList<>(List.of("Accept", "application/json"));
        if (contentType != null) {
            headers.addAll(List.of("Content-Type", contentType));
        }
        if (session != null) {
            headers.addAll(List.of("Cookie", SESSION + '=' + session));
        }
        URI target = base.resolve(path);
        String requestTarget = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        OneShotHttp.Answer answer = oneShot.exchange(method, requestTarget, headers, body);
        return new Reply(answer.status(), answer.body(), sessionCookie(answer.values("Set-Cookie")).orElse(null));
    }

    private static Optional<String> sessionCookie(List<String> setCookies) {
        for (String header : setCookies) {
            if (header.startsWith(SESSION + '=')) {
                int end = header.indexOf(';');
                return Optional.of(header.substring(SESSION.length() + 1, end < 0 ? header.length() : end));
            }
        }
        return Optional.empty();
    }
}
