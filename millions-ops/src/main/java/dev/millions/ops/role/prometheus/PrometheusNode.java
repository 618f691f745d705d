package dev.millions.ops.role.prometheus;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.millions.common.process.ChildProcess;
import dev.millions.common.process.Ports;
import dev.millions.ops.node.HttpReadiness;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.JvmHttpNode;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeSpec;

/**
 * The Prometheus server's process: its configuration is the run's {@code prometheus/prometheus.yml},
 * its data a folder of the run (a day kept), its port free or the topology's, kept across restarts.
 */
final class PrometheusNode extends JvmHttpNode {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final long STOP_GRACE_MILLIS = 10_000;

    private final Path binary;

    PrometheusNode(NodeSpec spec, RunFolder runFolder, Installation installation, Path binary) {
        super(spec, runFolder, installation, STOP_GRACE_MILLIS);
        this.binary = binary;
    }

    @Override
    public void start() {
        long startNanos = System.nanoTime();
        if (port == 0) {
            port = Ports.free(spec.host());
        }
        Path config = runFolder.prometheusFolder().resolve("prometheus.yml");
        Path data = runFolder.dataDirectory(spec.name());
        ChildProcess started;
        try {
            Files.createDirectories(data);
            started = launch(List.of(binary.toString(), "--config.file=" + config, "--storage.tsdb.path=" + data,
                                     "--storage.tsdb.retention.time=1d", "--web.listen-address=" + address()),
                             Map.of());
        } catch (IOException e) {
            throw new NodeStartException("cannot start " + binary + " for " + spec.name() + ": " + e.getMessage(), log(), e);
        }
        HttpReadiness.await(this, started, URI.create(url() + "-/ready"), READY_TIMEOUT, startNanos);
    }
}
