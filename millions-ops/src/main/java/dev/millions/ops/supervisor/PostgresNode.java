package dev.millions.ops.supervisor;

import java.nio.file.Path;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.postgres.PostgresException;
import dev.millions.postgres.PostgresServer;
import dev.millions.postgres.PostgresServerBuilder;

/** A PostgreSQL node, run by the launcher from the embedded binaries. */
final class PostgresNode implements ManagedNode {

    private final NodeSpec spec;
    private final PostgresServer server;

    PostgresNode(NodeSpec spec, RunFolder runFolder) {
        this.spec = spec;
        PostgresServerBuilder builder = PostgresServer.builder()
                                                      .dataDirectory(runFolder.dataDirectory(spec.name()))
                                                      .logFile(runFolder.logFile(spec.name()))
                                                      .listenAddress(spec.host())
                                                      .port(spec.port());
        spec.settings().forEach(builder::setting);
        this.server = builder.build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public void start() {
        try {
            server.start();
        } catch (PostgresException e) {
            throw new NodeStartException(e.getMessage(), log(), e);
        }
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public OsProcess process() {
        long pid = server.pid();
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
        return server.logFile();
    }

    /** What a client of this database needs to log in. */
    PostgresServer server() {
        return server;
    }
}
