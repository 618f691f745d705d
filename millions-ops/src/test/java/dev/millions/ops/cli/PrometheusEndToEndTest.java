package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.ops.supervisor.RunState;

/**
 * {@code up --with-prometheus} on the {@code split-db} stage (the database on a host address of its
 * own): the machine's Prometheus runs as a node and scrapes every target that {@code up} lists for it.
 * Without a {@code prometheus} binary the test is skipped, unless {@code MILLIONS_REQUIRE_PROMETHEUS}
 * is set, as CI sets it.
 */
class PrometheusEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path folder;

    static Path runFolder;

    @BeforeAll
    static void requirePrometheus() {
        runFolder = folder.resolve("run");
        if (!Files.isExecutable(Path.of("/usr/bin/prometheus"))) {
            String missing = "/usr/bin/prometheus is needed: apt-get install prometheus";
            if (System.getenv("MILLIONS_REQUIRE_PROMETHEUS") != null) {
                fail(missing);
            }
            assumeTrue(false, missing);
        }
    }

    @AfterAll
    static void stopEverything() {
        new MillionsCommand(runFolder).run("down");
    }

    @Test
    void upWithPrometheus_runsItAsANode_andItScrapesEveryTargetOfTheRun() throws Exception {
        Path topology = PresetFiles.withFreePorts(folder, "split-db");
        MillionsCommand.Result up = new MillionsCommand(runFolder).run("up", topology.toString(), "-d",
                                                                       "--with-prometheus");
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).containsPattern("prometheus +prometheus +ready");
        String prometheus = RunState.read(runFolder.resolve("state.json")).orElseThrow().node("prometheus")
                                    .orElseThrow().url();

        // The targets are read again each time: the supervisor's own joins once its control API listens,
        // which may be just after `up -d` returned.
        JsonNode active = Eventually.await("every target scraped and up", () -> activeTargets(prometheus),
                                           found -> found.size() == targets().size() && allUp(found));

        assertThat(active.findValuesAsText("node")).contains("web-1", "supervisor", "prometheus");
        assertThat(new MillionsCommand(runFolder).run("status").output()).containsPattern("prometheus +prometheus +ready");
    }

    private static JsonNode targets() {
        try {
            return JSON.readTree(runFolder.resolve("prometheus/targets.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode activeTargets(String prometheus) throws Exception {
        return JSON.readTree(RunFolders.get(prometheus + "api/v1/targets")).path("data").path("activeTargets");
    }

    private static boolean allUp(JsonNode targets) {
        for (JsonNode target : targets) {
            if (!target.path("health").asText().equals("up")) {
                return false;
            }
        }
        return true;
    }
}
