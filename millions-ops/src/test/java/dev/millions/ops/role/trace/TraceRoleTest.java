package dev.millions.ops.role.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.millions.ops.node.Roles;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.ops.topology.Topology;

class TraceRoleTest {

    @Test
    void defaults_recordEveryNewTrace_inOurStore_andTheSendersStartAfterIt() throws IOException {
        Topology topology = parse("""
                trace: {role: trace}
                db: {role: postgres}
                web-1: {role: web, database: db, traces: trace}
                lb: {role: lb, backends: [web-1], traces: trace}
                """);

        assertThat((TraceSettings) topology.node("trace").settings())
                .isEqualTo(new TraceSettings(1.0, 200_000, java.util.Optional.empty()));
        assertThat(topology.startOrder()).extracting(NodeSpec::name).containsSubsequence("trace", "web-1", "lb");
    }

    @Test
    void badSettings_areRefused_withTheFieldsPath() {
        assertThatThrownBy(() -> parse("trace: {role: trace, settings: {sampling: 2}}"))
                .hasMessageContaining("nodes.trace.settings.sampling: 2 (expected: the share of new traces recorded, 0..1)");
        assertThatThrownBy(() -> parse("trace: {role: trace, settings: {max-spans: 1.5}}"))
                .hasMessageContaining("nodes.trace.settings.max-spans: 1.5 (expected: a whole number > 0)");
        assertThatThrownBy(() -> parse("trace: {role: trace, settings: {endpoint: jaeger}}"))
                .hasMessageContaining("nodes.trace.settings.endpoint: jaeger (expected: an OTLP/HTTP traces URL");
        assertThatThrownBy(() -> parse("trace: {role: trace, settings: {ratio: 1}}"))
                .hasMessageContaining("unknown trace setting 'ratio' (known: endpoint, max-spans, sampling)");
    }

    @Test
    void spansSentToANodeThatIsNoTraceStore_areRefused() {
        assertThatThrownBy(() -> parse("""
                db: {role: postgres}
                web-1: {role: web, database: db, traces: db}
                """)).hasMessageContaining("node 'web-1' sends spans to 'db', which is a postgres node, not trace");
    }

    private static Topology parse(String nodes) throws IOException {
        String yaml = "name: t\nnodes:\n" + nodes.lines().map(line -> "  " + line).reduce("", (a, b) -> a + b + "\n");
        return Roles.topologies().parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }
}
