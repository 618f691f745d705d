package dev.millions.ops.role.postgres;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.millions.ops.node.Capabilities;
import dev.millions.ops.node.ClusterManaged;
import dev.millions.ops.node.DatabaseAccess;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.MetricsSource;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.Replicas;
import dev.millions.ops.topology.NodeSpec;
import dev.millions.postgres.ClusterTopology;
import dev.millions.postgres.PostgresServer;

/**
 * One member of a replicated database. The members start and stop together (the first to start
 * starts them all) because replication is set up across them; after that each is watched, fenced,
 * promoted and rebuilt by the cluster's failover manager, and its process changes when it is.
 */
final class PostgresClusterNode implements ManagedNode, DatabaseAccess, ClusterManaged {

    private final NodeSpec spec;
    private final DatabaseCluster cluster;

    PostgresClusterNode(NodeSpec spec, DatabaseCluster cluster) {
        this.spec = spec;
        this.cluster = cluster;
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public void start() {
        NodeStartException.during(log(), cluster::start);
    }

    @Override
    public void stop() {
        cluster.stop();
    }

    /** Re-clones a replica from the primary; the manager's own answer to a dead one, on request. */
    @Override
    public String rebuild() {
        cluster.cluster().rebuild(spec.name());
        return "being re-cloned from the primary";
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().add(DatabaseAccess.class, this).add(ClusterManaged.class, this)
                           .add(Replicas.class, cluster).add(MetricsSource.class, cluster).build();
    }

    @Override
    public List<ManagedNode> members() {
        return cluster.addedMembers();
    }

    @Override
    public Map<String, String> details() {
        return Map.of(spec.name(), roleDetail());
    }

    @Override
    public OsProcess process() {
        return OsProcess.ofPid(server().pid());
    }

    /** What the failover manager says of it now: role and, for a replica, how far behind it is. */
    private String roleDetail() {
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
        return cluster.runFolder().logFile(spec.name());
    }

    private PostgresServer server() {
        return cluster.cluster().node(spec.name());
    }

    @Override
    public String cluster() {
        return spec.name();
    }

    @Override
    public String jdbcUrl() {
        return server().jdbcUrl();
    }

    @Override
    public String username() {
        return server().username();
    }

    @Override
    public String password() {
        return server().password();
    }

    @Override
    public Optional<Path> nodesFile() {
        return Optional.of(cluster.nodesFile());
    }
}
