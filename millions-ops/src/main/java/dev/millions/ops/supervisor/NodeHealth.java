package dev.millions.ops.supervisor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import dev.millions.postgres.PostgresServer;
import dev.millions.postgres.PostgresServerBuilder;

/** Asks a running node, now, whether it serves: a readiness request or a database login. */
public final class NodeHealth {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String POSTGRES_USER = "millions";

    private NodeHealth() {}

    public static String probe(NodeState node, RunFolder runFolder) {
        return switch (node.role()) {
            case "web" -> probeHttp(URI.create(node.url() + "health/readiness"));
            // Through the balancer to a backend: ready when it passes requests on.
            case "lb" -> probeHttp(URI.create(node.url() + "health/readiness"));
            case "postgres" -> probePostgres(node, runFolder);
            case "redis" -> probeRedis(node.address());
            default -> "unknown role " + node.role();
        };
    }

    private static String probeHttp(URI readiness) {
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

    private static String probePostgres(NodeState node, RunFolder runFolder) {
        Path passwordFile = PostgresServerBuilder.passwordFile(runFolder.dataDirectory(node.name()));
        if (!Files.exists(passwordFile)) {
            // An external database: its password is the operator's, so only check that it listens.
            return probeTcp(node.address());
        }
        try {
            String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            return PostgresServer.external(node.url(), POSTGRES_USER, password).isReady()
                   ? "ready (accepts logins)" : "no login";
        } catch (IOException e) {
            return "unknown (cannot read " + passwordFile + ')';
        }
    }

    /** A member answers PING; a whole cluster (its address lists every member) says how many do. */
    private static String probeRedis(String addresses) {
        String[] members = addresses.split(",");
        if (members.length == 1) {
            return ping(members[0]) ? "ready (PONG)" : "no answer to PING";
        }
        long answering = Arrays.stream(members).filter(NodeHealth::ping).count();
        return answering + " of " + members.length + " members answer";
    }

    private static boolean ping(String address) {
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                                                 Integer.parseInt(address.substring(colon + 1))), 1_000);
            socket.setSoTimeout(1_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = socket.getInputStream().readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static String probeTcp(String address) {
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
