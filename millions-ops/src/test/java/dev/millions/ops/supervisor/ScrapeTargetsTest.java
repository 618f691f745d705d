package dev.millions.ops.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.millions.ops.node.RunFolder;

class ScrapeTargetsTest {

    @TempDir
    Path root;

    @Test
    void write_listsReadyNodesWithMetrics_andTheSupervisor_forFileBasedDiscovery() throws IOException {
        RunFolder runFolder = new RunFolder(root);
        ScrapeTargets.write(runFolder, List.of(node("web-1", "web", NodeStatus.READY, "http://127.0.0.1:8081/"),
                                               node("web-2", "web", NodeStatus.FAILED, null),
                                               node("db", "postgres", NodeStatus.READY, null)), 9100);

        JsonNode targets = new ObjectMapper().readTree(runFolder.prometheusFolder().resolve(ScrapeTargets.TARGETS).toFile());
        assertThat(targets).hasSize(2);
        assertThat(targets.get(0).toString()).isEqualTo(
                "{\"targets\":[\"127.0.0.1:8081\"],\"labels\":{\"node\":\"web-1\",\"role\":\"web\",\"__metrics_path__\":\"/metrics\"}}");
        assertThat(targets.get(1).toString()).isEqualTo(
                "{\"targets\":[\"127.0.0.1:9100\"],\"labels\":{\"node\":\"supervisor\",\"role\":\"supervisor\",\"__metrics_path__\":\"/metrics\"}}");
        assertThat(Files.readString(runFolder.prometheusFolder().resolve(ScrapeTargets.CONFIG)))
                .contains("file_sd_configs:", "- files: ['" + runFolder.prometheusFolder().resolve(ScrapeTargets.TARGETS) + "']");
    }

    @Test
    void write_again_dropsANodeThatWent_andLeavesAnEditedConfigAlone() throws IOException {
        RunFolder runFolder = new RunFolder(root);
        ScrapeTargets.write(runFolder, List.of(node("web-1", "web", NodeStatus.READY, "http://127.0.0.1:8081/")), 0);
        Path config = runFolder.prometheusFolder().resolve(ScrapeTargets.CONFIG);
        Files.writeString(config, "# mine\n");

        ScrapeTargets.write(runFolder, List.of(node("web-1", "web", NodeStatus.STOPPED, null)), 0);

        assertThat(Files.readString(runFolder.prometheusFolder().resolve(ScrapeTargets.TARGETS)).strip()).isEqualTo("[ ]");
        assertThat(Files.readString(config)).isEqualTo("# mine\n");
    }

    private static NodeState node(String name, String role, NodeStatus status, String url) {
        return new NodeState(name, role, status, 1, "1", "127.0.0.1:1", url, null, null, 0, null);
    }
}
