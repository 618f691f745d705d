package dev.millions.ops.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The health probes that roles share: an HTTP readiness request, a TCP connect. */
public final class Probes {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Probes() {}

    /** {@code ready} when {@code readiness} answers 200. */
    public static String http(URI readiness) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2))
                                                               .build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? "ready" : "not ready (HTTP " + response.statusCode() + ')';
        } catch (IOException e) {
            return "no answer (" + e.getClass().getSimpleName() + ')';
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    /** {@code ready} when the node at {@code url} answers 200 on {@code /health/readiness}. */
    public static String readiness(String url) {
        return http(URI.create(url + "health/readiness"));
    }

    /** {@code listening} when {@code host:port} accepts a connection. */
    public static String tcp(String address) {
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                                                 Integer.parseInt(address.substring(colon + 1))), 2_000);
            return "listening";
        } catch (IOException e) {
            return "no answer (" + e.getClass().getSimpleName() + ')';
        }
    }
}
