package dev.millions.ops.topology;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node of a topology: a process with a role, an address, and the nodes it needs.
 *
 * @param port the TCP port, or 0 for any free port, chosen when the node starts
 * @param database for a web node, the name of the PostgreSQL node it uses
 * @param settings role-specific settings passed to the process (PostgreSQL {@code -c} options, app
 *                 properties)
 * @param jvmOptions options for a node that runs on the JVM, e.g. {@code -Xmx512m}
 * @param external for a postgres node, a server that runs elsewhere: used, never launched or stopped
 * @param backends for a load balancer, the web nodes it balances over
 * @param replicaOf for a postgres node, the primary it starts as a replica of
 * @param cache for a web node, the redis node (a Redis Cluster) that holds its cache and sessions
 */
public record NodeSpec(String name, Role role, String host, int port, Optional<String> database,
                       Map<String, String> settings, List<String> jvmOptions, Optional<External> external,
                       List<String> backends, Optional<ReplicaOf> replicaOf, Optional<String> cache) {

    /** The nodes that must be ready before this one starts. */
    public List<String> dependencies() {
        List<String> dependencies = new ArrayList<>(backends);
        database.ifPresent(dependencies::add);
        replicaOf.ifPresent(replica -> dependencies.add(replica.primary()));
        cache.ifPresent(dependencies::add);
        return List.copyOf(dependencies);
    }

    /** A database reached at {@code url}, logging in as {@code username} with the password in a file. */
    public record External(String url, String username, Path passwordFile) {}

    /**
     * A replica of {@code primary}, whose cluster the failover manager runs.
     *
     * @param synchronous whether its acknowledgement counts for a commit (and so whether it may be
     *                    promoted); an asynchronous replica never holds up a commit
     */
    public record ReplicaOf(String primary, boolean synchronous) {}

    public NodeSpec withPort(int newPort) {
        return new NodeSpec(name, role, host, newPort, database, settings, jvmOptions, external, backends, replicaOf,
                            cache);
    }

    /** A copy under another name: how {@code millions scale} makes web-3 from web-1. */
    public NodeSpec copy(String newName, int newPort) {
        return new NodeSpec(newName, role, host, newPort, database, settings, jvmOptions, external, backends,
                            replicaOf, cache);
    }
}
