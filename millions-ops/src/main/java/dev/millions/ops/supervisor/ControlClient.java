package dev.millions.ops.supervisor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.ops.node.RunFolder;

/** Asks a running supervisor, through its control API, to act on a node. */
public final class ControlClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ACTION_TIMEOUT = Duration.ofSeconds(300);

    private final RunFolder runFolder;

    public ControlClient(RunFolder runFolder) {
        this.runFolder = runFolder;
    }

    /** Restarts the node and returns the supervisor's word on it, e.g. {@code restarted, ready in 8812 ms}. */
    public String restart(String node) {
        return post("/nodes/" + node + "/restart", "restart " + node);
    }

    /** Pauses the node's process tree {@code pauseMillis} of every second from now on (0 ends it); see {@link Stutter}. */
    public String slow(String node, long pauseMillis) {
        return post("/nodes/" + node + "/latency/" + pauseMillis, "slow " + node);
    }

    /** Tells the supervisor to leave the node down when it next exits, until it is restarted. */
    public String hold(String node) {
        return post("/nodes/" + node + "/hold", "hold " + node + " down");
    }

    /** Runs {@code count} nodes of {@code role} and returns their names. */
    public String scale(String role, int count) {
        return scale(role, count, Map.of());
    }

    /** Scales a role; the nodes it adds get {@code properties} over the first node's app properties. */
    public String scale(String role, int count, Map<String, String> properties) {
        try {
            return post("/scale/" + role + '/' + count, JSON.writeValueAsString(Map.of("properties", properties)),
                        "scale " + role + " to " + count);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Autoscales a role by a policy ({@code min}, {@code max}, {@code metric}, {@code target}, and
     * optionally {@code scaleUpWindowSeconds}, {@code scaleDownWindowSeconds}, {@code cooldownSeconds}).
     */
    public String autoscale(String role, Map<String, Object> policy) {
        try {
            return post("/autoscale/" + role, JSON.writeValueAsString(policy), "autoscale " + role);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String autoscaleOff(String role) {
        return post("/autoscale/" + role + "/off", "stop autoscaling " + role);
    }

    /** Each autoscaled role: its policy, its node count and its last decision. */
    public JsonNode autoscaling() {
        return send("GET", "/autoscale", null, "list the autoscaled roles");
    }

    /** What the supervisor saw of every node over the last seconds: the dashboard's state. */
    public JsonNode observed() {
        return send("GET", "/dashboard/state", null, "tell what it saw of the nodes");
    }

    /** Moves the replicated database's primary and returns what happened. */
    public String switchover() {
        return post("/switchover", "switch over");
    }

    /** Adds a replica to the replicated database and returns what happened. */
    public String addReplica(boolean synchronous) {
        return post(synchronous ? "/db/replicas" : "/db/replicas?async", "add a replica");
    }

    /** Removes a replica from the replicated database and returns what happened. */
    public String removeReplica(String name) {
        return post("/db/replicas/" + name + "/remove", "remove " + name);
    }

    /** Purges stored answers on every CDN edge and returns what happened. */
    public String purge(String kind, String value, boolean soft) {
        try {
            return post("/cdn/purge", JSON.writeValueAsString(Map.of("kind", kind, "value", value, "soft", soft)),
                        "purge " + kind + ' ' + value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a purge of " + kind + ' ' + value, e);
        }
    }

    /** The dashboard's address, its token in the fragment. */
    public String dashboardUrl() {
        try {
            JsonNode control = control();
            return SupervisorControl.dashboardUrl(control.path("port").asInt(), control.path("token").asText());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + runFolder.controlFile() + ": " + e.getMessage(), e);
        }
    }

    private JsonNode control() throws IOException {
        if (!Files.isReadable(runFolder.controlFile())) {
            throw new IllegalStateException("no supervisor answers for " + runFolder.root()
                                            + " (no control.json): is the system up? see `millions status`");
        }
        return JSON.readTree(runFolder.controlFile().toFile());
    }

    private String post(String path, String what) {
        return post(path, null, what);
    }

    private String post(String path, String body, String what) {
        return send("POST", path, body, what).path("detail").asText();
    }

    private JsonNode send(String method, String path, String body, String what) {
        try {
            JsonNode control = control();
            URI uri = URI.create("http://127.0.0.1:" + control.path("port").asInt() + path);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(ACTION_TIMEOUT)
                                             .header("Authorization", "Bearer " + control.path("token").asText())
                                             .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                                                          : HttpRequest.BodyPublishers.ofString(body))
                                             .build();
            HttpResponse<String> response;
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the supervisor could not " + what + ": " + answer.path("detail").asText());
            }
            return answer;
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the supervisor of " + runFolder.root() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        }
    }
}
