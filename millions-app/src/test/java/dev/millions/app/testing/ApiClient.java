package dev.millions.app.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One user of the photo app over real HTTP, with a cookie jar of its own. Shared by the app's tests and
 * the end-to-end tests of the running system.
 */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    public ApiClient(String baseUrl) {
        this.base = URI.create(baseUrl);
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client of another address that keeps this one's cookies: the same browser, a restarted system. */
    public ApiClient at(String baseUrl) {
        ApiClient moved = new ApiClient(baseUrl);
        cookies.getCookieStore().getCookies().forEach(cookie -> moved.setCookie(cookie.getName(), cookie.getValue()));
        return moved;
    }

    public void setCookie(String name, String value) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath("/");
        cookie.setVersion(0);
        cookies.getCookieStore().add(base, cookie);
    }

    public String cookie(String name) {
        return cookies.getCookieStore().get(base).stream().filter(cookie -> cookie.getName().equals(name))
                      .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Signs up and logs in. */
    public ApiClient signUpAndLogIn(String username, String password) {
        Response signUp = postJson("/api/users", """
                {"username":"%s","password":"%s","displayName":"%s"}""".formatted(username, password, username));
        if (signUp.status() != 201) {
            throw new IllegalStateException("sign-up of " + username + " answered " + signUp);
        }
        return logIn(username, password);
    }

    public ApiClient logIn(String username, String password) {
        Response login = postJson("/api/session", """
                {"username":"%s","password":"%s"}""".formatted(username, password));
        if (login.status() != 200) {
            throw new IllegalStateException("login of " + username + " answered " + login);
        }
        return this;
    }

    public Response postJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)));
    }

    public Response post(String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType).POST(BodyPublishers.ofByteArray(body)));
    }

    public Response put(String path) {
        return put(path, Map.of());
    }

    public Response put(String path, Map<String, String> headers) {
        HttpRequest.Builder request = request(path);
        headers.forEach(request::header);
        return send(request.PUT(BodyPublishers.noBody()));
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response get(String path, String header, String value) {
        return send(request(path).header(header, value).GET());
    }

    public byte[] getBytes(String path) {
        try {
            HttpResponse<byte[]> response = http.send(request(path).GET().build(),
                                                      HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST /api/posts} as a browser's form sends it. */
    public Response postPhoto(String caption, byte[] image, String fileName) {
        String boundary = "millions-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"caption\"\r\n"
                         + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + caption + "\r\n")
                                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
                         + fileName + "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post("/api/posts", "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    public static byte[] png(int width, int height) {
        return image("png", width, height);
    }

    public static byte[] jpeg(int width, int height) {
        return image("jpeg", width, height);
    }

    private static byte[] image(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.ORANGE);
        graphics.fillOval(0, 0, width, height);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Response(response.statusCode(), body.isBlank() ? JSON.nullNode() : parse(body), body,
                                response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.nullNode();
        }
    }

    /** An answer: the status, the body as JSON (a null node when it is not JSON) and as text. */
    public record Response(int status, JsonNode json, String body, HttpHeaders headers) {

        /** The problem body's {@code detail}. */
        public String detail() {
            return json.path("detail").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
