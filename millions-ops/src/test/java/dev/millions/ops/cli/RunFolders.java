package dev.millions.ops.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.ops.supervisor.RunState;

/** What end-to-end tests read from a running system's run folder, and a plain GET. */
final class RunFolders {

    private RunFolders() {}

    /** Where a node is reached, from {@code state.json}. */
    static String url(Path runFolder, String node) {
        return RunState.read(runFolder.resolve("state.json")).orElseThrow().node(node).orElseThrow().url();
    }

    /** The supervisor's control API, from {@code control.json}. */
    static String supervisorUrl(Path runFolder) throws IOException {
        String control = Files.readString(runFolder.resolve("control.json"));
        return "http://127.0.0.1:" + new ObjectMapper().readTree(control).path("port").asInt() + '/';
    }

    static String get(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                             HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
