package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.ops.node.Installation;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "trace", mixinStandardHelpOptions = true,
        description = { "Print a request's spans as a tree with their timings, from the edge through the web "
                        + "node to its SQL statements and Redis commands (and on into the workers), as the "
                        + "topology's trace store has them. The trace id is in every log line of the request "
                        + "and in the load balancer's X-Trace-Id answer header. Without an id: the latest "
                        + "traces." })
final class TraceCommand implements Callable<Integer> {

    /** The attributes worth a line's room, in this order: what the span did, and how it ended. */
    private static final List<String> SHOWN = List.of("jdbc.query[0]", "db.statement", "db.operation", "db.system",
                                                      "url.path", "uri", "http.url", "messaging.destination.name",
                                                      "millions.backend", "http.response.status_code", "status",
                                                      "outcome", "error", "exception");
    private static final int MAX_ATTRIBUTE_CHARS = 120;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    RunFolderOption runFolderOption;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "a trace id (32 hex digits)")
    String traceId;

    @Option(names = "--limit", defaultValue = "20", description = "how many of the latest traces to list (default: 20)")
    int limit;

    @Option(names = "--all-attributes", description = "print every attribute of every span")
    boolean allAttributes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<RunState> state = RunState.read(runFolderOption.runFolder(Installation.detect()).stateFile());
        if (state.isEmpty()) {
            err.println("error: nothing runs here; start a system first with `./millions up lb -d`");
            return ExitCodes.NOT_RUNNING;
        }
        Optional<NodeState> store = state.get().nodes().stream().filter(node -> node.role().equals("trace")).findFirst();
        if (store.isEmpty()) {
            err.println("error: this topology has no trace store: add a node of role trace and name it in the "
                        + "nodes' traces: field (the presets with a load balancer have one, named trace)");
            return ExitCodes.USAGE;
        }
        if (store.get().status() != NodeStatus.READY) {
            err.println("error: the trace store " + store.get().name() + " is not running (status "
                        + store.get().status().id() + "); start it again with `./millions chaos restart "
                        + store.get().name() + "` (it keeps spans in memory: those sent before are gone)");
            return ExitCodes.NOT_RUNNING;
        }
        if (store.get().url() == null) {
            err.println("error: " + store.get().name() + " sends the spans to a collector elsewhere (" + store.get().address()
                        + "); read them there");
            return ExitCodes.USAGE;
        }
        if (traceId != null && !traceId.toLowerCase(Locale.ROOT).matches("[0-9a-f]{32}")) {
            err.println("error: trace id: " + traceId + " (expected: 32 hex digits, as in a log line's traceId)");
            return ExitCodes.USAGE;
        }
        if (limit < 1 || limit > 1000) {
            err.println("error: --limit: " + limit + " (expected: 1..1000)");
            return ExitCodes.USAGE;
        }
        String path = traceId == null ? "api/traces?limit=" + limit : "api/traces/" + traceId.toLowerCase(Locale.ROOT);
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = http.send(HttpRequest.newBuilder(URI.create(store.get().url() + path)).timeout(Duration.ofSeconds(10))
                                            .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                err.println("error: " + body.path("detail").asText(response.body()));
                return response.statusCode() == 404 ? ExitCodes.FAILED : ExitCodes.USAGE;
            }
            if (traceId == null) {
                printLatest(out, body.path("traces"));
            } else {
                printTree(out, body.path("spans"));
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println("error: the trace store " + store.get().name() + " at " + store.get().url() + " did not answer: " + e);
            return ExitCodes.FAILED;
        }
    }

    private static void printLatest(PrintWriter out, JsonNode traces) {
        if (traces.isEmpty()) {
            out.println("no traces yet: make a request through the load balancer");
            return;
        }
        out.printf("%-32s  %-24s  %9s  %5s  %s%n", "TRACE", "STARTED", "MS", "SPANS", "ROOT");
        for (JsonNode trace : traces) {
            out.printf(Locale.ROOT, "%-32s  %-24s  %9.1f  %5d  %s %s (%s)%n", trace.path("traceId").asText(),
                       Instant.ofEpochSecond(0, trace.path("startEpochNanos").asLong()).toString().replaceAll("\\.\\d+Z$", "Z"),
                       trace.path("durationMillis").asDouble(), trace.path("spans").asInt(), trace.path("service").asText(),
                       trace.path("name").asText(), String.join(", ", texts(trace.path("services"))));
        }
    }

    /** Each span under its parent, children in the order they started; a span whose parent is missing is a root. */
    private void printTree(PrintWriter out, JsonNode spans) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        spans.forEach(span -> byId.put(span.path("spanId").asText(), span));
        Map<String, List<JsonNode>> children = new LinkedHashMap<>();
        List<JsonNode> roots = new ArrayList<>();
        for (JsonNode span : byId.values()) {
            String parent = span.path("parentSpanId").asText(null);
            if (parent == null || !byId.containsKey(parent)) {
                roots.add(span);
            } else {
                children.computeIfAbsent(parent, id -> new ArrayList<>()).add(span);
            }
        }
        long start = roots.stream().mapToLong(span -> span.path("startEpochNanos").asLong()).min().orElse(0);
        long end = byId.values().stream().mapToLong(span -> span.path("endEpochNanos").asLong()).max().orElse(start);
        Set<String> services = new HashSet<>();
        byId.values().forEach(span -> services.add(span.path("service").asText()));
        out.printf(Locale.ROOT, "trace %s: %d spans from %d services, %.1f ms%n", spans.path(0).path("traceId").asText(),
                   byId.size(), services.size(), (end - start) / 1e6);
        out.printf("%9s  %9s  %s%n", "AT MS", "TOOK MS", "SPAN");
        for (JsonNode root : roots) {
            print(out, root, children, start, 0);
        }
    }

    private void print(PrintWriter out, JsonNode span, Map<String, List<JsonNode>> children, long start, int depth) {
        long begin = span.path("startEpochNanos").asLong();
        double took = (span.path("endEpochNanos").asLong() - begin) / 1e6;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%9.1f  %9.1f  %s%s [%s %s]", (begin - start) / 1e6,
                                                             took, "  ".repeat(depth), span.path("name").asText(),
                                                             span.path("service").asText(), span.path("kind").asText()));
        if (span.path("status").asText().equals("ERROR")) {
            line.append(" ERROR ").append(span.path("statusMessage").asText());
        }
        JsonNode attributes = span.path("attributes");
        List<String> names = allAttributes ? texts(fieldNames(attributes)) : SHOWN;
        for (String name : names) {
            if (attributes.has(name)) {
                String value = attributes.path(name).asText().replaceAll("\\s+", " ");
                line.append(' ').append(name).append('=').append(value.length() > MAX_ATTRIBUTE_CHARS
                                                                 ? value.substring(0, MAX_ATTRIBUTE_CHARS) + "..." : value);
            }
        }
        out.println(line);
        for (JsonNode child : children.getOrDefault(span.path("spanId").asText(), List.of())) {
            print(out, child, children, start, depth + 1);
        }
    }

    private static JsonNode fieldNames(JsonNode object) {
        var names = JSON.createArrayNode();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
