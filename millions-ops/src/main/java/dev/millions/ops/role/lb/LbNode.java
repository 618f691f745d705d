package dev.millions.ops.role.lb;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.millions.edge.config.EdgeConfig;
import dev.millions.ops.node.Balancer;
import dev.millions.ops.node.Capabilities;
import dev.millions.ops.node.EdgeJarNode;
import dev.millions.ops.node.HttpReadiness;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.ManagedNode;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeSpec;

/**
 * A load balancer node: the edge's jar given a config file with its backends' addresses as they are
 * now (those of the topology and those added since). Its admin API is how the supervisor adds and
 * drains web nodes while it runs.
 */
final class LbNode extends EdgeJarNode implements Balancer {

    private final LbSettings settings;
    /** Its backends by name: the topology's, then those added while it runs, less those drained. */
    private final Map<String, ManagedNode> backends = new LinkedHashMap<>();

    LbNode(NodeSpec spec, LbSettings settings, RunFolder runFolder, Installation installation) {
        super(spec, runFolder, installation);
        this.settings = settings;
    }

    synchronized void initialBackend(ManagedNode backend) {
        backends.put(backend.spec().name(), backend);
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().add(Balancer.class, this).build();
    }

    @Override
    public synchronized boolean balances(String node) {
        return backends.containsKey(node);
    }

    @Override
    protected synchronized EdgeConfig config(int port, int adminPort, Path tokenFile) {
        List<EdgeConfig.BackendConfig> pool = backends.values().stream()
                .map(web -> new EdgeConfig.BackendConfig(web.spec().name(), web.address(), 1)).toList();
        EdgeConfig defaults = EdgeConfig.defaults(spec.name(), spec.host(), port, adminPort, tokenFile, pool,
                                                  runFolder.logFile(spec.name() + ".access"));
        String algorithm = settings.algorithm().orElse(defaults.balancing().algorithm());
        String hashKey = settings.hashKey().orElse(null);
        double rate = settings.rateLimit();
        return new EdgeConfig(defaults.name(), defaults.host(), port, defaults.adminHost(), adminPort, tokenFile, pool,
                              new EdgeConfig.Balancing(algorithm, hashKey), defaults.health(), defaults.outliers(),
                              defaults.slowStartMillis(), defaults.retries(),
                              new EdgeConfig.RateLimit(rate, Math.max(1, rate)), defaults.limits(), defaults.accessLog());
    }

    @Override
    public void addBackend(ManagedNode web) {
        admin("POST", "/admin/backends", "{\"id\":\"" + web.spec().name() + "\",\"address\":\"" + web.address()
                                         + "\",\"weight\":1}");
        synchronized (this) {
            backends.put(web.spec().name(), web);
        }
    }

    @Override
    public void drainBackend(String name) {
        synchronized (this) {
            backends.remove(name);
        }
        admin("POST", "/admin/backends/" + name + "/drain", "");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && admin("GET", "/admin/backends", null).contains("\"id\":\"" + name + '"')) {
            HttpReadiness.sleep(50);
        }
    }
}
