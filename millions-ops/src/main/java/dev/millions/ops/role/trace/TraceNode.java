package dev.millions.ops.role.trace;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.millions.common.process.ChildProcess;
import dev.millions.common.process.Ports;
import dev.millions.ops.node.Capabilities;
import dev.millions.ops.node.HttpReadiness;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.JvmHttpNode;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.node.TraceAccess;
import dev.millions.ops.topology.NodeSpec;

/** Our trace store's JVM ({@code millions-trace.jar}): its port free or the topology's, kept across restarts. */
final class TraceNode extends JvmHttpNode implements TraceAccess {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final long STOP_GRACE_MILLIS = 5_000;

    private final TraceSettings settings;

    TraceNode(NodeSpec spec, TraceSettings settings, RunFolder runFolder, Installation installation) {
        super(spec, runFolder, installation, STOP_GRACE_MILLIS);
        this.settings = settings;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().add(TraceAccess.class, this).build();
    }

    @Override
    public void start() {
        long startNanos = System.nanoTime();
        if (port == 0) {
            port = Ports.free(spec.host());
        }
        List<String> command = new ArrayList<>(List.of("setsid", installation.java().toString()));
        command.addAll(safetyOptions());
        command.addAll(installation.nettyJvmOptions());
        command.addAll(installation.jvmOptions());
        command.addAll(spec.jvmOptions());
        command.addAll(List.of("-jar", installation.traceJar().toString(), "--host", spec.host(), "--port",
                               Integer.toString(port), "--max-spans", Integer.toString(settings.maxSpans())));
        ChildProcess started;
        try {
            installation.checkJar(installation.traceJar(), "the trace store's");
            started = launch(command, Map.of());
        } catch (IOException | IllegalStateException e) {
            throw new NodeStartException("cannot start the trace store " + spec.name() + ": " + e.getMessage(), log(), e);
        }
        HttpReadiness.await(this, started, URI.create(url() + "health"), READY_TIMEOUT, startNanos);
    }

    @Override
    public String otlpEndpoint() {
        return url() + "v1/traces";
    }

    @Override
    public double sampling() {
        return settings.sampling();
    }
}
