package dev.millions.ops.supervisor;

import java.nio.file.Path;

import dev.millions.ops.topology.NodeSpec;
import dev.millions.postgres.ClusterTopology;
import dev.millions.postgres.PostgresServer;

/**
 * One member of a replicated database. The members start and stop together (the first to start
 * starts them all) because replication is set up across them; after that each is watched, fenced,
 * promoted and rebuilt by the cluster's failover manager, and its process changes when it is.
 */
final class PostgresClusterNode implements ManagedNode {

    private final NodeSpec spec;
    private final DatabaseCluster cluster;
    private final RunFolder runFolder;

    PostgresClusterNode(NodeSpec spec, DatabaseCluster cluster, RunFolder runFolder) {
        this.spec = spec;
        this.cluster = cluster;
        this.runFolder = runFolder;
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    DatabaseCluster cluster() {
        return cluster;
    }

    @Override
    public void start() {
        try {
            cluster.start();
        } catch (RuntimeException e) {
            throw new NodeStartException(e.getMessage(), log(), e);
        }
    }

    @Override
    public void stop() {
        cluster.stop();
    }

    /** Re-clones a replica from the primary; the manager's own answer to a dead one, on request. */
    void rebuild() {
        cluster.cluster().rebuild(spec.name());
    }

    @Override
    public OsProcess process() {
        long pid = server().pid();
        return pid <= 0 ? null : ProcessHandle.of(pid).map(OsProcess::of).orElse(null);
    }

    /** What the failover manager says of it now: role and, for a replica, how far behind it is. */
    String roleDetail() {
        ClusterTopology.Member member = cluster.cluster().topology().member(spec.name()).orElseThrow();
        return member.role() == ClusterTopology.Role.REPLICA && member.lagBytes() >= 0
               ? "replica, lag " + member.lagBytes() + " B" + (member.synchronous() ? "" : " (async)")
               : member.role().id();
    }

    @Override
    public String address() {
        String url = server().jdbcUrl();
        return url.substring("jdbc:postgresql://".length(), url.lastIndexOf('/'));
    }

    @Override
    public String url() {
        return server().jdbcUrl();
    }

    @Override
    public Path log() {
        return runFolder.logFile(spec.name());
    }

    PostgresServer server() {
        return cluster.cluster().node(spec.name());
    }
}
