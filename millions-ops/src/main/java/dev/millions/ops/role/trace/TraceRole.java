package dev.millions.ops.role.trace;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeContext;
import dev.millions.ops.node.Probes;
import dev.millions.ops.node.RoleDriver;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeFields;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.TopologyException;

/**
 * Where the nodes' spans go over OTLP: our trace store ({@code millions-trace}), or, given an
 * {@code endpoint}, a collector that runs elsewhere. Web nodes, workers, load balancers and CDN edges
 * that name it in {@code traces:} send their spans there.
 */
public final class TraceRole implements RoleDriver {

    private static final Set<String> SETTINGS = Set.of("sampling", "max-spans", "endpoint");

    @Override
    public String id() {
        return "trace";
    }

    @Override
    public Set<String> fields() {
        return Set.of("settings");
    }

    @Override
    public TraceSettings parse(NodeFields fields) {
        Map<String, String> settings = fields.map("settings");
        settings.keySet().forEach(name -> {
            if (!SETTINGS.contains(name)) {
                throw new TopologyException(fields.path() + ".settings: unknown trace setting '" + name + "' (known: "
                                            + String.join(", ", SETTINGS.stream().sorted().toList()) + ')');
            }
        });
        double sampling = number(fields, "sampling", settings.getOrDefault("sampling", "1.0"), 0, 1,
                                 "the share of new traces recorded, 0..1");
        double maxSpans = number(fields, "max-spans", settings.getOrDefault("max-spans", "200000"), 1, Integer.MAX_VALUE,
                                 "a whole number > 0");
        if (maxSpans != Math.rint(maxSpans)) {
            throw new TopologyException(fields.path() + ".settings.max-spans: " + settings.get("max-spans")
                                        + " (expected: a whole number > 0)");
        }
        Optional<String> endpoint = Optional.ofNullable(settings.get("endpoint"));
        endpoint.ifPresent(url -> {
            if (!url.matches("https?://[^/:]+:[0-9]{1,5}/.*")) {
                throw new TopologyException(fields.path() + ".settings.endpoint: " + url
                                            + " (expected: an OTLP/HTTP traces URL, http://HOST:PORT/v1/traces)");
            }
        });
        return new TraceSettings(sampling, (int) maxSpans, endpoint);
    }

    @Override
    public ManagedNode create(NodeSpec spec, NodeContext context) {
        TraceSettings settings = (TraceSettings) spec.settings();
        return settings.endpoint()
                       .<ManagedNode>map(url -> new ExternalTraceNode(spec, settings, url, context.runFolder()))
                       .orElseGet(() -> new TraceNode(spec, settings, context.runFolder(), context.installation()));
    }

    @Override
    public String probe(String name, String address, String url, RunFolder runFolder) {
        return url == null ? Probes.tcp(address) : Probes.http(URI.create(url + "health"));
    }

    @Override
    public Optional<URI> metrics(String name, String url, RunFolder runFolder) {
        return Optional.ofNullable(url).map(base -> URI.create(base + "metrics"));
    }

    private static double number(NodeFields fields, String name, String text, double min, double max, String expected) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value >= min && value <= max)) {
            throw new TopologyException(fields.path() + ".settings." + name + ": " + text + " (expected: " + expected + ')');
        }
        return value;
    }
}
