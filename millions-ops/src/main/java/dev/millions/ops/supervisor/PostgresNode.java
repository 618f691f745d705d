package dev.millions.ops.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.postgres.PostgresException;
import dev.millions.postgres.PostgresServer;
import dev.millions.postgres.PostgresServerBuilder;

/**
 * A PostgreSQL node: run by the launcher from the embedded binaries, or, when the topology says it is
 * external, a server elsewhere that is only checked and used.
 */
final class PostgresNode implements ManagedNode {

    private final NodeSpec spec;
    private volatile PostgresServer server;

    PostgresNode(NodeSpec spec, RunFolder runFolder) {
        this.spec = spec;
        // An external server is built at start, where a missing password file is reported as the
        // node's failure.
        this.server = spec.external().isPresent() ? null : launched(spec, runFolder);
    }

    private static PostgresServer launched(NodeSpec spec, RunFolder runFolder) {
        PostgresServerBuilder builder = PostgresServer.builder()
                                                      .dataDirectory(runFolder.dataDirectory(spec.name()))
                                                      .logFile(runFolder.logFile(spec.name()))
                                                      .listenAddress(spec.host())
                                                      .port(spec.port());
        spec.settings().forEach(builder::setting);
        return builder.build();
    }

    private static PostgresServer external(NodeSpec.External external) {
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
            server = external(spec.external().orElseThrow());
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
        long pid = server == null ? -1 : server.pid();
        return pid <= 0 ? null : ProcessHandle.of(pid).map(OsProcess::of).orElse(null);
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

    /** What a client of this database needs to log in. */
    PostgresServer server() {
        return server;
    }
}
