package dev.millions.ops.role.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import dev.millions.postgres.PostgresServer;
import dev.millions.postgres.PostgresServerBuilder;

/**
 * A PostgreSQL server run by our launcher, or reached by address; with {@code replica-of}, the members
 * of a replicated database whose failover manager runs in the supervisor.
 */
public final class PostgresRole implements RoleDriver {

    static final String ID = "postgres";
    private static final String USER = "millions";
    private static final Set<String> EXTERNAL_FIELDS = Set.of("url", "username", "password-file");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> fields() {
        return Set.of("settings", "external", "replica-of", "replication");
    }

    @Override
    public PostgresSettings parse(NodeFields fields) {
        return new PostgresSettings(fields.map("settings"), external(fields), replicaOf(fields));
    }

    private static Optional<PostgresSettings.ReplicaOf> replicaOf(NodeFields fields) {
        Optional<String> primary = fields.optionalText("replica-of");
        Optional<String> replication = fields.optionalText("replication");
        if (primary.isEmpty()) {
            if (replication.isPresent()) {
                throw new TopologyException(fields.path() + ".replication: only a replica (replica-of: ...) has one");
            }
            return Optional.empty();
        }
        String mode = replication.orElse("sync");
        if (!mode.equals("sync") && !mode.equals("async")) {
            throw new TopologyException(fields.path() + ".replication: " + mode + " (expected: sync or async)");
        }
        return Optional.of(new PostgresSettings.ReplicaOf(fields.text("replica-of"), mode.equals("sync")));
    }

    private static Optional<PostgresSettings.External> external(NodeFields fields) {
        return fields.mapping("external", EXTERNAL_FIELDS, "a mapping with url, username and password-file")
                     .map(external -> {
                         String url = external.text("url");
                         if (!url.startsWith("jdbc:postgresql://")) {
                             throw new TopologyException(external.path() + ".url: " + url
                                                         + " (expected: jdbc:postgresql://host:port/database)");
                         }
                         return new PostgresSettings.External(url, external.text("username"),
                                                              Path.of(external.text("password-file")));
                     });
    }

    @Override
    public ManagedNode create(NodeSpec spec, NodeContext context) {
        PostgresSettings settings = (PostgresSettings) spec.settings();
        String primary = settings.replicaOf().map(PostgresSettings.ReplicaOf::primary).orElse(spec.name());
        List<NodeSpec> members = context.topology().nodes().values().stream()
                .filter(node -> node.name().equals(primary) || node.settings().memberOf().equals(Optional.of(primary)))
                .toList();
        if (members.size() == 1) {
            return new PostgresNode(spec, context.runFolder());
        }
        DatabaseCluster cluster = context.shared("postgres-cluster:" + primary,
                                                 () -> new DatabaseCluster(primary, members, context.runFolder()));
        return new PostgresClusterNode(spec, cluster);
    }

    @Override
    public String probe(String name, String address, String url, RunFolder runFolder) {
        Path passwordFile = PostgresServerBuilder.passwordFile(runFolder.dataDirectory(name));
        if (!Files.exists(passwordFile)) {
            // An external database: its password is the operator's, so only check that it listens.
            return Probes.tcp(address);
        }
        try {
            String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            return PostgresServer.external(url, USER, password).isReady() ? "ready (accepts logins)" : "no login";
        } catch (IOException e) {
            return "unknown (cannot read " + passwordFile + ')';
        }
    }

    @Override
    public String stopSignal() {
        // PostgreSQL's SIGTERM is a "smart" shutdown that waits for every client; SIGINT is "fast".
        return "INT";
    }
}
