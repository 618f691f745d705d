package dev.millions.ops.role.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import dev.millions.ops.node.Capabilities;
import dev.millions.ops.node.DatabaseAccess;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.postgres.PostgresException;
import dev.millions.postgres.PostgresServer;
import dev.millions.postgres.PostgresServerBuilder;

/**
 * A PostgreSQL node: run by the launcher from the embedded binaries, or, when the topology says it is
 * external, a server elsewhere that is only checked and used.
 */
final class PostgresNode implements ManagedNode, DatabaseAccess {

    private final NodeSpec spec;
    private final PostgresSettings settings;
    private volatile PostgresServer server;

    PostgresNode(NodeSpec spec, RunFolder runFolder) {
        this.spec = spec;
        this.settings = (PostgresSettings) spec.settings();
        // An external server is built at start, where a missing password file is reported as the
        // node's failure.
        this.server = settings.external().isPresent() ? null : launched(spec, settings, runFolder);
    }

    private static PostgresServer launched(NodeSpec spec, PostgresSettings settings, RunFolder runFolder) {
        PostgresServerBuilder builder = PostgresServer.builder()
                                                      .dataDirectory(runFolder.dataDirectory(spec.name()))
                                                      .logFile(runFolder.logFile(spec.name()))
                                                      .listenAddress(spec.host())
                                                      .port(spec.port());
        settings.server().forEach(builder::setting);
        return builder.build();
    }

    private static PostgresServer external(PostgresSettings.External external) {
        try {
            String password = Files.readString(external.passwordFile(), StandardCharsets.UTF_8).strip();
            return PostgresServer.external(external.url(), external.username(), password);
        } catch (IOException e) {
            throw new NodeStartException("cannot read the password file " + external.passwordFile() + " of "
                                         + external.url() + ": " + e, null, e);
        }
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public void start() {
        if (server == null) {
            server = external(settings.external().orElseThrow());
        }
        try {
            server.start();
        } catch (PostgresException e) {
            throw new NodeStartException(e.getMessage(), log(), e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    public OsProcess process() {
        return OsProcess.ofPid(server == null ? -1 : server.pid());
    }

    @Override
    public String address() {
        String url = server.jdbcUrl();
        return url.substring("jdbc:postgresql://".length(), url.lastIndexOf('/'));
    }

    @Override
    public String url() {
        return server.jdbcUrl();
    }

    @Override
    public Path log() {
        return server == null ? null : server.logFile();
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().add(DatabaseAccess.class, this).build();
    }

    @Override
    public String cluster() {
        return spec.name();
    }

    @Override
    public String jdbcUrl() {
        return server.jdbcUrl();
    }

    @Override
    public String username() {
        return server.username();
    }

    @Override
    public String password() {
        return server.password();
    }

    @Override
    public Optional<Path> nodesFile() {
        return Optional.empty();
    }
}
