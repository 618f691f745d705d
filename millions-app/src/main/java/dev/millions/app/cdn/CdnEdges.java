package dev.millions.app.cdn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The CDN edges of the topology, from the file each edge writes when it starts (its admin address, token
 * and the origin it fetches from), so an edge started after this node is found too. With no file there
 * is no CDN. The file is read again whenever it changes.
 */
@Component
public class CdnEdges {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One edge: where its admin API listens, its token, and the URL of its origin as clients reach it. */
    public record Edge(String name, String admin, String token, String origin) {}

    private final Path file;
    private volatile Snapshot snapshot = new Snapshot(FileTime.fromMillis(0), List.of());

    CdnEdges(@Value("${millions.cdn.edges-file:}") String file) {
        this.file = file.isBlank() ? null : Path.of(file);
    }

    /** The edges listed now; empty with no CDN. */
    public List<Edge> list() throws IOException {
        if (file == null || !Files.isReadable(file)) {
            return List.of();
        }
        FileTime modified = Files.getLastModifiedTime(file);
        Snapshot current = snapshot;
        if (!modified.equals(current.modified())) {
            List<Edge> edges = new ArrayList<>();
            for (JsonNode edge : JSON.readTree(file.toFile()).path("edges")) {
                edges.add(new Edge(edge.path("name").asText(), edge.path("admin").asText(), edge.path("token").asText(),
                                   edge.path("origin").asText("")));
            }
            current = new Snapshot(modified, List.copyOf(edges));
            snapshot = current;
        }
        return current.edges();
    }

    /** The origin that a browser falls back to when the CDN fails to serve it: the first edge's. */
    public Optional<String> origin() {
        try {
            return list().stream().map(Edge::origin).filter(origin -> !origin.isEmpty()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private record Snapshot(FileTime modified, List<Edge> edges) {}
}
