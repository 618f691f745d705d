package dev.millions.ops.role.prometheus;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeContext;
import dev.millions.ops.node.Probes;
import dev.millions.ops.node.RoleDriver;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeFields;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.RoleSettings;
import dev.millions.ops.topology.TopologyException;

/**
 * A Prometheus server of the machine's own (Debian's {@code prometheus} package), run as a node of the
 * topology on the scrape configuration that {@code up} writes (file-based discovery of every node, kept
 * current by the supervisor). Nothing in the default set-up needs it: {@code up --with-prometheus}
 * adds it.
 */
public final class PrometheusRole implements RoleDriver {

    /** Its name in a topology, and the name {@code up --with-prometheus} gives the node it adds. */
    public static final String ID = "prometheus";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> fields() {
        return Set.of();
    }

    @Override
    public RoleSettings parse(NodeFields fields) {
        return new RoleSettings() {
            @Override
            public void validate(NodeSpec node, Map<String, NodeSpec> nodes) {
                if (binary().isEmpty()) {
                    throw new TopologyException("node '" + node.name() + "' runs Prometheus, which is not installed here "
                                                + "(no prometheus on the PATH): apt-get install prometheus");
                }
            }
        };
    }

    @Override
    public ManagedNode create(NodeSpec spec, NodeContext context) {
        return new PrometheusNode(spec, context.runFolder(), context.installation(), binary().orElseThrow(
                () -> new IllegalStateException("prometheus is not installed: apt-get install prometheus")));
    }

    @Override
    public String probe(String name, String address, String url, RunFolder runFolder) {
        return Probes.http(URI.create(url + "-/ready"));
    }

    @Override
    public Optional<URI> metrics(String name, String url, RunFolder runFolder) {
        return Optional.ofNullable(url).map(base -> URI.create(base + "metrics"));
    }

    /** The {@code prometheus} binary on the PATH, as Debian's package installs it. */
    static Optional<Path> binary() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/bin")).filter(folder -> !folder.isEmpty())
                     .map(folder -> Path.of(folder, "prometheus")).filter(Files::isExecutable).findFirst();
    }
}
