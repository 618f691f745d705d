package dev.millions.ops.role.kafka;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import dev.millions.ops.node.Capabilities;
import dev.millions.ops.node.ExternalNode;
import dev.millions.ops.node.NodeStartException;
import dev.millions.ops.node.QueueAccess;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.topology.NodeSpec;

/**
 * A Kafka that runs elsewhere, given by its brokers' addresses: checked at start (it must answer within
 * a few seconds), then used; never launched or stopped. Its topics are created by the app, as with ours.
 */
final class ExternalKafkaNode extends ExternalNode implements QueueAccess {

    private static final long CHECK_TIMEOUT_MILLIS = 15_000;

    private final String bootstrap;

    ExternalKafkaNode(NodeSpec spec, String bootstrap, RunFolder runFolder) {
        super(spec, runFolder);
        this.bootstrap = bootstrap;
    }

    @Override
    public void start() {
        long startNanos = System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                               AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT_MILLIS,
                                               AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT_MILLIS))) {
            admin.describeCluster().nodes().get(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new NodeStartException("the external Kafka at " + bootstrap + " did not answer within "
                                         + (System.nanoTime() - startNanos) / 1_000_000 + " ms: "
                                         + (e.getCause() == null ? e : e.getCause()), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeStartException("interrupted while checking the external Kafka at " + bootstrap, null, e);
        }
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().add(QueueAccess.class, this).build();
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public String address() {
        return bootstrap;
    }
}
